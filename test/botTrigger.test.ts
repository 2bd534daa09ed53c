import type { INodeParameters } from 'n8n-workflow';

import botTriggerCodex from '../nodes/Bitrix24BotTrigger/Bitrix24BotTrigger.node.json';
import { FAKE_CLIENT_CODE, FAKE_WEBHOOK_CODE } from './fakePortal';
import { useFakePortal } from './harness/fixtures';
import { connectedOAuthCredential, OAUTH_CLIENT_ID } from './harness/oauthCredential';
import { type ListeningTrigger, type TriggerOptions, useListeningTriggers } from './harness/runTrigger';
import { runBitrix24 } from './harness/runWorkflow';

const portal = useFakePortal({
	webhook: { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'imbot', 'user'] },
	oauth: { clientId: OAUTH_CLIENT_ID, clientSecret: FAKE_CLIENT_CODE, scopes: ['im', 'imbot'] },
});

// The triggers here check every 2 s, so a test takes a few seconds.
jest.setTimeout(30_000);

const BOT_TOKEN = 'botTriggerToken-0123456789';
const webhookWithToken = (botToken: string | null = BOT_TOKEN) => ({
	bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, ...(botToken !== null ? { botToken } : {}) },
});

const trigger = useListeningTriggers(portal);
const callsOf = (method: string) => portal().calls.filter((call) => call.method === method.toLowerCase());
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

const BOT_PARAMETERS: INodeParameters = {
	botCode: 'support_bot',
	botName: 'Support',
	commands: { command: [{ command: 'help', title: 'Show help', params: 'topic', hidden: false }] },
};

function botTrigger(parameters: INodeParameters = {}, options: Partial<TriggerOptions> = {}): ListeningTrigger {
	return trigger({
		type: 'bitrix24BotTrigger',
		credentials: webhookWithToken(),
		...options,
		parameters: { ...BOT_PARAMETERS, ...parameters },
	});
}

/** An active Bot Trigger after its first read of the bot's queue; returns it and the bot's ID. */
async function activeBot(
	parameters: INodeParameters = {},
	options: Partial<TriggerOptions> = {},
): Promise<{ active: ListeningTrigger; botId: number }> {
	const reads = callsOf('imbot.v2.Event.get').length;
	const active = await botTrigger(parameters, options).activate();
	const deadline = Date.now() + 5000;
	while (callsOf('imbot.v2.Event.get').length <= reads + 1 && Date.now() < deadline) await sleep(20);
	const bot = portal().bots.find((candidate) => candidate.code === (parameters.botCode ?? BOT_PARAMETERS.botCode));
	if (!bot) throw new Error('the bot was not registered');
	return { active, botId: bot.id };
}

/** The bot writes a message with a /help button to `dialogId` through the Bitrix24 node. */
async function botMessageWithButton(botId: number, dialogId: string): Promise<number> {
	const result = await runBitrix24({
		credentials: webhookWithToken(),
		parameters: {
			authentication: 'webhook',
			resource: 'bot',
			operation: 'sendMessage',
			bot: { __rl: true, mode: 'list', value: String(botId) },
			dialogId: { __rl: true, mode: 'id', value: dialogId },
			message: 'How can I help?',
			keyboard: {
				content: {
					mode: 'builder',
					buttons: {
						button: [{ text: 'Help', clickAction: 'command', command: 'help', commandParams: 'billing' }],
					},
				},
			},
		},
	});
	if (result.error) throw result.error;
	return Number(result.output[0].json.messageId);
}

describe('Bitrix24 Bot Trigger: registration', () => {
	it('registers the bot and its commands on the first activation, and changes nothing on the next', async () => {
		const { active } = await activeBot({ botWorkPosition: 'Helpdesk', botColor: 'AQUA' });
		const [bot] = portal().bots;
		expect(bot).toMatchObject({
			code: 'support_bot',
			type: 'bot',
			eventMode: 'fetch',
			owner: `token:${BOT_TOKEN}`,
			properties: { name: 'Support', workPosition: 'Helpdesk', color: 'AQUA' },
		});
		expect(bot.commands.map((command) => [command.command, command.title, command.params])).toEqual([
			['help', { en: 'Show help' }, { en: 'topic' }],
		]);
		await active.close();
		const updates = bot.updates;

		const again = await activeBot({ botWorkPosition: 'Helpdesk', botColor: 'AQUA' });
		expect(again.botId).toBe(bot.id);
		expect(portal().bots).toHaveLength(1);
		expect(bot.updates).toBe(updates);
		expect(callsOf('imbot.v2.Command.register')).toHaveLength(1);
		expect(callsOf('imbot.v2.Bot.unregister')).toHaveLength(0);
	});

	it('a changed name or job title follows with Bot.update on the same bot; only missing commands are registered', async () => {
		const first = await activeBot();
		await first.active.close();
		const { botId } = await activeBot({
			botName: 'Support Assistant',
			botWorkPosition: 'AI helper',
			commands: {
				command: [
					{ command: 'help', title: 'Show help', params: '', hidden: false },
					{ command: '/status', title: '', params: '', hidden: true },
				],
			},
		});
		expect(botId).toBe(first.botId);
		const [bot] = portal().bots;
		expect(bot.properties).toMatchObject({ name: 'Support Assistant', workPosition: 'AI helper' });
		expect(callsOf('imbot.v2.Bot.update')).toHaveLength(1);
		expect(bot.commands.map((command) => [command.command, command.hidden])).toEqual([
			['help', false],
			['status', true],
		]);
		expect(callsOf('imbot.v2.Command.register')).toHaveLength(2);
	});

	it('a bot of the OAuth application needs no bot token', async () => {
		const credential = await connectedOAuthCredential(portal());
		const { active } = await activeBot(
			{ authentication: 'oAuth2' },
			{ credentials: { bitrix24OAuth2Api: credential } },
		);
		expect(portal().bots[0].owner).toBe(`app:${OAUTH_CLIENT_ID}`);
		portal().writeToBot(portal().bots[0].id, 2, 'hello over OAuth');
		await active.waitForExecutions(1);
		expect(active.texts()).toEqual(['hello over OAuth']);
	});

	it('a webhook credential without a bot token fails activation before any bot request, saying where to set it', async () => {
		await expect(botTrigger({}, { credentials: webhookWithToken(null) }).activate()).rejects.toThrow(/Bot Token/);
		expect(portal().calls.filter((call) => call.method.startsWith('imbot.'))).toHaveLength(0);
	});

	it('a wrong Bot Code or command fails before any request, naming the field', async () => {
		await expect(botTrigger({ botCode: 'support bot' }).activate()).rejects.toThrow(/"Bot Code"/);
		await expect(
			botTrigger({ commands: { command: [{ command: 'help me', title: 'x' }] } }).activate(),
		).rejects.toThrow(/"Commands", command 1/);
		expect(portal().calls).toHaveLength(0);
	});
});

describe('Bitrix24 Bot Trigger: events', () => {
	it('a person writing to the bot: one flat messageAdd item, ready for the reply', async () => {
		const { active, botId } = await activeBot();
		const message = portal().writeToBot(botId, 2, 'Where is my invoice?');
		await active.waitForExecutions(1);
		expect(active.items[0]).toMatchObject({
			event: 'messageAdd',
			botId,
			botCode: 'support_bot',
			dialogId: '2',
			chatType: 'private',
			messageId: message.id,
			text: 'Where is my invoice?',
			authorId: 2,
			command: null,
			commandParams: null,
			commandContext: null,
		});
		expect(typeof active.items[0].eventId).toBe('number');
		expect(typeof active.items[0].authorName).toBe('string');
		expect(active.items[0].raw).toHaveProperty('message');
	});

	it('a typed command arrives as commandAdd with the command without slash, its params and context textarea', async () => {
		const { active, botId } = await activeBot();
		portal().writeToBot(botId, 2, '/help billing');
		await active.waitForExecutions(1);
		expect(active.items[0]).toMatchObject({
			event: 'commandAdd',
			command: 'help',
			commandParams: 'billing',
			commandContext: 'textarea',
			dialogId: '2',
		});
	});

	it("a command button press arrives with commandContext keyboard; the bot's own reply does not trigger it", async () => {
		const { active, botId } = await activeBot();
		const messageId = await botMessageWithButton(botId, '2');
		portal().pressCommandButton(messageId, 2);
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.items).toHaveLength(1);
		expect(active.items[0]).toMatchObject({
			event: 'commandAdd',
			command: 'help',
			commandParams: 'billing',
			commandContext: 'keyboard',
			dialogId: '2',
			authorId: 2,
		});
	});

	it('joinChat, reactionChange, messageUpdate and messageDelete, each when chosen', async () => {
		const { active, botId } = await activeBot({
			events: ['joinChat', 'reactionChange', 'messageUpdate', 'messageDelete'],
		});
		portal().addBotToChat(botId, 'chat1', 3);
		await active.waitForExecutions(1);
		const written = portal().writeToBot(botId, 2, 'first version');
		portal().editMessageSeenByBots(written.id, 'second version');
		await active.waitForExecutions(2);
		portal().deleteMessageSeenByBots(written.id, 2);
		await active.waitForExecutions(3);
		const reply = await botMessageWithButton(botId, '2');
		portal().reactToBotMessage(reply, 2, 'like', 'add');
		await active.waitForExecutions(4);
		expect(active.items.map((item) => [item.event, item.dialogId, item.authorId])).toEqual([
			['joinChat', 'chat1', 3],
			['messageUpdate', '2', 2],
			['messageDelete', '2', 2],
			['reactionChange', '2', 2],
		]);
		expect(active.items[1].text).toBe('second version');
		expect(active.items[2].messageId).toBe(written.id);
		expect(active.items[3].messageId).toBe(reply);
		// messageAdd was not chosen: the message itself started nothing.
		expect(active.items.some((item) => item.event === 'messageAdd')).toBe(false);
	});

	it('an execution still running keeps its event unconfirmed; it is confirmed after the execution finished', async () => {
		const { active, botId } = await activeBot();
		active.executionEnd = 'by test';
		portal().writeToBot(botId, 2, 'slow one');
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(portal().pendingBotEvents(botId)).toHaveLength(1);
		active.executions[0].finish();
		const deadline = Date.now() + 8000;
		while (portal().pendingBotEvents(botId).length > 0 && Date.now() < deadline) await sleep(50);
		expect(portal().pendingBotEvents(botId)).toHaveLength(0);
		expect(active.items).toHaveLength(1);
	});

	it('"Listen for test event" emits the next event and confirms nothing', async () => {
		const bot = portal().seedBot({ code: 'support_bot', name: 'Support', botToken: BOT_TOKEN, commands: ['help'] });
		const test = await botTrigger().listenForTestEvent();
		// Events waiting before the listening began are not "next": write after its first read.
		const deadline = Date.now() + 5000;
		while (callsOf('imbot.v2.Event.get').length === 0 && Date.now() < deadline) await sleep(20);
		portal().writeToBot(bot.id, 2, 'test me');
		const data = await test.data;
		await test.close();
		expect(data[0][0].json).toMatchObject({ event: 'messageAdd', text: 'test me', botId: bot.id });
		expect(
			portal()
				.pendingBotEvents(bot.id)
				.map((event) => event.type),
		).toEqual(['ONIMBOTV2MESSAGEADD']);
		expect(callsOf('imbot.v2.Event.get').every((call) => call.params.offset === undefined)).toBe(true);
	});
});

describe('Bitrix24 Bot Trigger: filters', () => {
	it("ignoreBots (on by default) skips other bots' messages, so two bots cannot answer each other", async () => {
		const { active, botId } = await activeBot({ botType: 'supervisor' });
		const other = portal().seedBot({ code: 'other_bot', name: 'Other', botToken: 'otherToken' });
		portal().addBotToChat(botId, 'chat1');
		portal().addBotToChat(other.id, 'chat1');
		await runBitrix24({
			credentials: webhookWithToken('otherToken'),
			parameters: {
				authentication: 'webhook',
				resource: 'bot',
				operation: 'sendMessage',
				bot: { __rl: true, mode: 'list', value: String(other.id) },
				dialogId: { __rl: true, mode: 'id', value: 'chat1' },
				message: 'I am a bot',
			},
		});
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'I am a person' });
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.texts()).toEqual(['I am a person']);
		expect(portal().pendingBotEvents(botId)).toHaveLength(0);
	});

	it('ignoreBots off lets other bots through', async () => {
		const { active, botId } = await activeBot({ botType: 'supervisor', filters: { ignoreBots: false } });
		const other = portal().seedBot({ code: 'other_bot', name: 'Other', botToken: 'otherToken' });
		portal().addBotToChat(botId, 'chat1');
		portal().addBotToChat(other.id, 'chat1');
		portal().postMessage({ authorId: other.id, dialogId: 'chat1', text: 'bot speaking' });
		await active.waitForExecutions(1);
		expect(active.items[0]).toMatchObject({ text: 'bot speaking', authorId: other.id, dialogId: 'chat1' });
	});

	it('dialogIds and textContains: only matching events start executions, the rest are confirmed all the same', async () => {
		const { active, botId } = await activeBot({ filters: { dialogIds: '3, chat1', textContains: 'URGENT' } });
		portal().writeToBot(botId, 2, 'urgent from 2');
		portal().writeToBot(botId, 3, 'calm from 3');
		portal().writeToBot(botId, 3, 'Urgent from 3');
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.texts()).toEqual(['Urgent from 3']);
		expect(portal().pendingBotEvents(botId)).toHaveLength(0);
	});

	it('a type "bot" bot in a group chat hears only mentions; a supervisor hears every message', async () => {
		const { active, botId } = await activeBot();
		portal().addBotToChat(botId, 'chat1');
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'not for the bot' });
		portal().mentionBot(botId, 'chat1', 2, 'for the bot');
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.items).toHaveLength(1);
		expect(active.items[0]).toMatchObject({ dialogId: 'chat1', chatType: 'chat', authorId: 2 });
		expect(String(active.items[0].text)).toContain('for the bot');
	});
});

describe('Bitrix24 Bot Trigger: one reader per bot', () => {
	it('a second active trigger for the same bot does not activate; another bot code does', async () => {
		await activeBot({}, { workflowId: 'first', workflowName: 'First' });
		await expect(botTrigger({}, { workflowId: 'second', nodeName: 'Second trigger' }).activate()).rejects.toMatchObject(
			{
				message: 'Another active Bitrix24 Bot Trigger already listens as the bot "support_bot"',
			},
		);
		const other = await activeBot({ botCode: 'sales_bot' }, { workflowId: 'third' });
		portal().writeToBot(other.botId, 2, 'to sales');
		await other.active.waitForExecutions(1);
		expect(other.active.texts()).toEqual(['to sales']);
	});
});

describe('Bitrix24 Bot Trigger: canvas and documentation', () => {
	it('documentation links carry no #anchor, which n8n would break by appending its query after it', () => {
		const urls = Object.values(botTriggerCodex.resources).flatMap((links) =>
			links.map((link: { url: string }) => link.url),
		);
		expect(urls.length).toBeGreaterThan(1);
		for (const url of urls) expect(url).not.toContain('#');
	});
});
