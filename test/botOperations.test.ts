import { createHash } from 'node:crypto';

import type { INodeParameters } from 'n8n-workflow';

import { FAKE_CLIENT_CODE, FAKE_WEBHOOK_CODE } from './fakePortal';
import { fromItem, useFakePortal } from './harness/fixtures';
import { connectedOAuthCredential, OAUTH_CLIENT_ID } from './harness/oauthCredential';
import { runBitrix24, searchInEditor } from './harness/runWorkflow';
import type { RunOptions } from './harness/runWorkflow';
import { registerTestFile } from './harness/testBinaryItemsNode';

const portal = useFakePortal({
	webhook: { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'imbot', 'user'] },
	oauth: { clientId: OAUTH_CLIENT_ID, clientSecret: FAKE_CLIENT_CODE, scopes: ['im', 'imbot'] },
});

const BOT_TOKEN = 'botTokenSecret-0123456789';

/** `null`: a credential without the field at all. */
const webhookWithToken = (botToken: string | null = BOT_TOKEN) => ({
	bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, ...(botToken !== null ? { botToken } : {}) },
});

/** `null`: a bot of the OAuth application. */
const seedBot = (botToken: string | null = BOT_TOKEN, commands: string[] = ['help']) =>
	portal().seedBot({ code: 'support_bot', name: 'Support', botToken: botToken ?? undefined, commands });

function bot(operation: string, botId: number | string, extra: INodeParameters = {}): INodeParameters {
	return {
		authentication: 'webhook',
		resource: 'bot',
		operation,
		bot: { __rl: true, mode: 'list', value: String(botId) },
		...extra,
	};
}

const dialog = (value: string) => ({ __rl: true, mode: 'id', value });

async function run(options: Partial<RunOptions> & { parameters: INodeParameters }) {
	return await runBitrix24({ credentials: webhookWithToken(), ...options });
}

const botCalls = (method: string) => portal().calls.filter((call) => call.method === method.toLowerCase());

describe('bot → sendMessage', () => {
	it('posts as the bot with the token beside botId, a keyboard that names the bot, and outputs {messageId, dialogId, botId}', async () => {
		const { id } = seedBot();
		const keyboard = {
			content: {
				mode: 'builder',
				buttons: {
					button: [{ text: 'Help', clickAction: 'command', command: 'help', commandParams: 'me' }],
				},
			},
		};
		const result = await run({
			items: [{ text: '**Hello**' }],
			parameters: bot('sendMessage', id, {
				dialogId: dialog('5'),
				messageFormat: 'markdown',
				message: fromItem('text'),
				keyboard,
				additionalFields: { system: false },
			}),
		});
		expect(result.error).toBeUndefined();
		const [sent] = portal().messages;
		expect(sent).toMatchObject({ dialogId: '5', message: '[b]Hello[/b]', botId: id, authorId: id, system: 'N' });
		expect(sent.keyboard).toEqual({ BOT_ID: id, BUTTONS: [{ TEXT: 'Help', COMMAND: 'help', COMMAND_PARAMS: 'me' }] });
		const [call] = botCalls('imbot.v2.Chat.Message.send');
		expect(call).toMatchObject({ via: 'direct', params: { botId: id, botToken: BOT_TOKEN, dialogId: '5' } });
		expect(result.output.map((item) => item.json)).toEqual([{ messageId: sent.id, dialogId: '5', botId: id }]);
	});

	it('a group chat the bot is not in: ACCESS_DENIED; after it is added the message goes and chatId is output', async () => {
		const { id } = seedBot();
		const refused = await run({ parameters: bot('sendMessage', id, { dialogId: dialog('chat7'), message: 'Hi' }) });
		expect(refused.error?.message).toContain('ACCESS_DENIED');
		expect((refused.error?.context as { itemIndex?: number } | undefined)?.itemIndex).toBe(0);
		portal().addBotToChat(id, 'chat7');
		const sent = await run({ parameters: bot('sendMessage', id, { dialogId: dialog('chat7'), message: 'Hi' }) });
		expect(sent.output[0].json).toMatchObject({ dialogId: 'chat7', chatId: 7, botId: id });
	});

	it('splits a long text as Send does, in order', async () => {
		const { id } = seedBot();
		const paragraph = `${'word '.repeat(1999)}end`;
		const text = Array.from({ length: 3 }, () => paragraph).join('\n\n');
		const result = await run({
			items: [{ text }],
			parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: fromItem('text') }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages.length).toBeGreaterThan(1);
		expect(result.output[0].json.messageIds).toEqual(portal().messages.map((message) => message.id));
	});

	it('never batches bot calls, and paces them at 2 requests per second', async () => {
		const { id } = seedBot();
		const items = Array.from({ length: 6 }, (_, index) => ({ text: `m${index}` }));
		const result = await run({
			items,
			parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: fromItem('text') }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
		expect(botCalls('imbot.v2.Chat.Message.send').every((call) => call.via === 'direct')).toBe(true);
		const times = portal()
			.httpRequests.filter((request) => request.path.includes('imbot.v2'))
			.map((request) => request.at);
		// Two at once, then one every half second: six requests span at least two seconds.
		expect(times[5] - times[0]).toBeGreaterThanOrEqual(1900);
	});

	it("fails a bot call, unsent, that would have to wait for the bots' pace past Max Retry Wait", async () => {
		const { id } = seedBot();
		await new Promise((resolve) => setTimeout(resolve, 1100)); // the bots' lane drains first
		const result = await run({
			items: [{ text: 'm0' }, { text: 'm1' }, { text: 'm2' }],
			parameters: bot('sendMessage', id, {
				dialogId: dialog('5'),
				message: fromItem('text'),
				options: { maxRetryWaitSeconds: 0 },
			}),
		});
		// The first goes at once; the next would have to wait for the bots' lane, and may not wait.
		expect(result.error?.message).toContain('RATE_PLAN_WAIT_TOO_LONG');
		expect(portal().messages.map((message) => message.message)).toEqual(['m0']);
		expect(botCalls('imbot.v2.Chat.Message.send')).toHaveLength(1);
	});
});

describe('bot credential and ownership errors', () => {
	it('a webhook credential without a bot token fails before anything is sent, saying where to set it', async () => {
		const { id } = seedBot();
		const result = await run({
			credentials: webhookWithToken(null),
			parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }),
		});
		expect(result.error?.message).toContain('"Bot Token"');
		expect(result.error?.message).toContain('Bitrix24 Webhook API credential');
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('an empty bot token counts as none', async () => {
		const { id } = seedBot();
		const result = await run({
			credentials: webhookWithToken('  '),
			parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }),
		});
		expect(result.error?.message).toContain('need a bot token');
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('a token over 40 characters fails before sending, without quoting it', async () => {
		const { id } = seedBot();
		const long = 'x'.repeat(41);
		const result = await run({
			credentials: webhookWithToken(long),
			parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }),
		});
		expect(result.error?.message).toContain('longer than the 40 characters');
		expect(result.error?.message).not.toContain(long);
		expect(portal().httpRequests).toHaveLength(0);
	});

	it("another owner's bot: BOT_OWNERSHIP_ERROR naming the item", async () => {
		const { id } = seedBot('someone-elses-token');
		const result = await run({ parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }) });
		expect(result.error?.message).toContain('BOT_OWNERSHIP_ERROR');
		expect(portal().messages).toHaveLength(0);
	});

	it('a webhook without the imbot scope gets the clear error naming "imbot"', async () => {
		const { id } = seedBot();
		portal().setWebhookScopes(['im']);
		const result = await run({ parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }) });
		expect(result.error?.message).toContain('insufficient_scope');
		expect(String((result.error as { description?: string }).description)).toContain('"imbot"');
	});

	it('OAuth needs no bot token: the bot belongs to the application', async () => {
		const { id } = seedBot(null);
		const result = await runBitrix24({
			credentials: { bitrix24OAuth2Api: await connectedOAuthCredential(portal()) },
			parameters: { ...bot('sendMessage', id, { dialogId: dialog('5'), message: 'Hi' }), authentication: 'oAuth2' },
		});
		expect(result.error).toBeUndefined();
		const [call] = botCalls('imbot.v2.Chat.Message.send');
		expect(call.params).not.toHaveProperty('botToken');
	});

	it('continue-on-fail: the failing item is reported by number, the others are sent', async () => {
		const { id } = seedBot();
		const result = await run({
			items: [{ dialog: '5' }, { dialog: 'chat9' }, { dialog: '6' }],
			onError: 'continueRegularOutput',
			parameters: bot('sendMessage', id, { dialogId: dialog('={{ $json.dialog }}'), message: 'Hi' }),
		});
		expect(result.output.map((item) => item.json.code ?? 'ok')).toEqual(['ok', 'ACCESS_DENIED', 'ok']);
		expect(portal().messages.map((message) => message.dialogId)).toEqual(['5', '6']);
	});
});

describe('bot → picking the bot by code', () => {
	it('resolves the code once per execution through Bot.get', async () => {
		const { id } = seedBot();
		const result = await run({
			items: [{ text: 'a' }, { text: 'b' }, { text: 'c' }],
			parameters: {
				...bot('sendMessage', id, { dialogId: dialog('5'), message: fromItem('text') }),
				bot: { __rl: true, mode: 'code', value: 'support_bot' },
			},
		});
		expect(result.error).toBeUndefined();
		expect(botCalls('imbot.v2.Bot.get')).toHaveLength(1);
		expect(portal().messages.every((message) => message.botId === id)).toBe(true);
	});

	it('an unknown code fails the item as "Invalid Bot"', async () => {
		seedBot();
		const result = await run({
			parameters: {
				...bot('sendMessage', 0, { dialogId: dialog('5'), message: 'x' }),
				bot: { __rl: true, mode: 'code', value: 'nobody' },
			},
		});
		expect(result.error?.message).toContain('Invalid "Bot" in item 0');
		expect(result.error?.message).toContain('BOT_NOT_FOUND');
	});
});

describe('bot → other operations', () => {
	it('updateMessage changes the text and keyboard, deleteMessage deletes', async () => {
		const { id } = seedBot();
		const sent = await run({ parameters: bot('sendMessage', id, { dialogId: dialog('5'), message: 'Working…' }) });
		const messageId = sent.output[0].json.messageId as number;
		const updated = await run({
			parameters: bot('updateMessage', id, { messageId: String(messageId), message: 'Done' }),
		});
		expect(updated.output[0].json).toEqual({ messageId, botId: id, updated: true });
		expect(portal().messages[0]).toMatchObject({ message: 'Done', edited: true });
		expect(botCalls('imbot.v2.Chat.Message.update')[0].params).toMatchObject({
			botId: id,
			messageId,
			fields: { message: 'Done' },
		});
		const deleted = await run({ parameters: bot('deleteMessage', id, { messageId: String(messageId) }) });
		expect(deleted.output[0].json).toEqual({ messageId, botId: id, deleted: true });
		expect(portal().messages[0].deleted).toBe(true);
	});

	it('sendTyping shows the chosen status for the given duration; out-of-range duration is refused before sending', async () => {
		const { id } = seedBot();
		const result = await run({
			parameters: bot('sendTyping', id, {
				dialogId: dialog('5'),
				action: 'IMBOT_AGENT_ACTION_THINKING',
				durationSeconds: 20,
			}),
		});
		expect(result.output[0].json).toEqual({
			dialogId: '5',
			botId: id,
			action: 'IMBOT_AGENT_ACTION_THINKING',
			durationSeconds: 20,
		});
		expect(portal().botInputActions).toEqual([
			{ botId: id, dialogId: '5', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 20 },
		]);
		const typing = await run({ parameters: bot('sendTyping', id, { dialogId: dialog('5'), durationSeconds: 5 }) });
		expect(typing.output[0].json.action).toBe('typing');
		expect(botCalls('imbot.v2.Chat.InputAction.notify')[1].params).not.toHaveProperty('statusMessageCode');
		const refused = await run({ parameters: bot('sendTyping', id, { dialogId: dialog('5'), durationSeconds: 601 }) });
		expect(refused.error?.message).toContain('Invalid "Duration (Seconds)" in item 0');
		expect(botCalls('imbot.v2.Chat.InputAction.notify')).toHaveLength(2);
	});

	it('answerCommand replies to a command pressed on a button, also where the bot is no member', async () => {
		const { id } = seedBot();
		portal().addBotToChat(id, 'chat3');
		const sent = await run({
			parameters: bot('sendMessage', id, {
				dialogId: dialog('chat3'),
				message: 'Need help?',
				keyboard: { content: { mode: 'json', json: '[{"TEXT":"Help","COMMAND":"help"}]' } },
			}),
		});
		portal().pressCommandButton(sent.output[0].json.messageId as number, 4);
		const event = portal()
			.pendingBotEvents(id)
			.find((entry) => entry.type === 'ONIMBOTV2COMMANDADD');
		const command = event?.data.command as { id: number; context: string };
		expect(command.context).toBe('keyboard');
		const answered = await run({
			items: [{ commandId: command.id, messageId: sent.output[0].json.messageId }],
			parameters: bot('answerCommand', id, {
				commandId: fromItem('commandId'),
				messageId: fromItem('messageId'),
				dialogId: dialog('chat11'),
				message: 'Here is help',
			}),
		});
		expect(answered.output[0].json).toMatchObject({ commandId: command.id, dialogId: 'chat11', answered: true });
		expect(portal().messages.at(-1)).toMatchObject({
			dialogId: 'chat11',
			message: 'Here is help',
			system: 'Y',
			botId: id,
		});
	});

	it('sendFile posts the file as the bot through imbot.v2.File.upload, with the token in the JSON body', async () => {
		const { id } = seedBot();
		const bytes = Buffer.from('day,total\nmon,3\n');
		const file = registerTestFile({ bytes, fileName: 'report.csv', mimeType: 'text/csv' });
		const result = await run({
			binaryItems: [{ binary: { data: file } }],
			parameters: bot('sendFile', id, { dialogId: dialog('5'), message: 'Report' }),
		});
		expect(result.error).toBeUndefined();
		const [stored] = portal().files;
		expect(stored.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
		const message = portal().messages.find((entry) => entry.id === stored.messageId);
		expect(message).toMatchObject({ botId: id, message: 'Report', dialogId: '5' });
		expect(botCalls('imbot.v2.File.upload')[0].params).toMatchObject({ botId: id, botToken: BOT_TOKEN });
		expect(result.output[0].json).toMatchObject({ messageId: stored.messageId, dialogId: '5', botId: id });
	});
});

describe('Bot → From List (imbot.v2.Bot.list)', () => {
	const search = (filter?: string, botToken: string | null = BOT_TOKEN) =>
		searchInEditor(
			'searchBots',
			{ credentials: webhookWithToken(botToken), parameters: bot('sendMessage', 0) },
			filter,
		);

	it("lists the credential's bots by name, filtered by the search text; never another owner's", async () => {
		const support = seedBot();
		const sales = portal().seedBot({ code: 'sales_bot', name: 'Sales', botToken: BOT_TOKEN });
		portal().seedBot({ code: 'foreign_bot', name: 'Foreign', botToken: 'someone-else' });
		expect((await search()).results).toEqual([
			{ name: `Support (support_bot, ${support.id})`, value: String(support.id) },
			{ name: `Sales (sales_bot, ${sales.id})`, value: String(sales.id) },
		]);
		expect((await search('sal')).results.map((item) => item.value)).toEqual([String(sales.id)]);
	});

	it('without a bot token the picker says where to set it, and asks nothing', async () => {
		await expect(search(undefined, null)).rejects.toThrow('"Bot Token"');
		expect(portal().httpRequests).toHaveLength(0);
	});
});
