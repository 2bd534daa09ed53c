/**
 * The Bot Trigger in real n8n: an active workflow Bitrix24 Bot Trigger → bot "typing" → bot reply
 * (with a command button), imported, published and run by `n8n start` against the fake portal.
 * A person writes to the bot: exactly one reply from the bot, in seconds, and the reply itself
 * does not trigger again. Then the person presses the reply's command button: it arrives as a
 * command with commandContext "keyboard".
 */
import type { CredentialFixture } from '../../scripts/lib/bitrix24Fixtures';
import { WEBHOOK_CREDENTIAL_TYPE } from '../../scripts/lib/bitrix24Fixtures';
import { botReplyWorkflow } from '../../scripts/lib/botTriggerFixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { FAKE_WEBHOOK_CODE, startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith, startWithActive } from './n8nWith';
import { waitingOn } from './waiting';

const WORKFLOW_ID = 'e2eBotTriggerRpl';
const BOT_TOKEN = 'e2eBotTriggerToken-42';
const BOT_CODE = 'e2e_assistant';

let portal: FakePortal;
let n8n: HeadlessN8n;
let server: RunningN8n | undefined;

const reads = () => portal.calls.filter((call) => call.method === 'imbot.v2.event.get').length;
const bot = () => portal.bots.find((candidate) => candidate.code === BOT_CODE);
const botMessages = () =>
	portal.messages.filter((message) => message.botId !== undefined && message.botId === bot()?.id);

const waitFor = waitingOn(() => server);

beforeAll(async () => {
	portal = await startFakePortal({ webhook: { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'imbot'] } });
	const credential: CredentialFixture = {
		id: 'e2eBotTriggerCr1',
		name: 'Bitrix24 e2e bot trigger webhook',
		type: WEBHOOK_CREDENTIAL_TYPE,
		data: { webhookUrl: portal.webhookUrl, botToken: BOT_TOKEN },
	};
	n8n = await n8nWith(
		[credential],
		[
			botReplyWorkflow({
				id: WORKFLOW_ID,
				name: 'e2e: bot trigger, typing, reply',
				credential,
				botCode: BOT_CODE,
				reply: 'Answer to {event} {context}',
				checkEverySeconds: 2,
				buttonCommand: 'again',
			}),
		],
	);
	server = await startWithActive(n8n, [WORKFLOW_ID]);
});

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await portal?.close();
});

test("a person's message gets exactly one reply from the bot, in seconds; the bot's own reply does not trigger it", async () => {
	await waitFor('the bot to be registered and listening', () => bot() !== undefined && reads() >= 1);
	expect(bot()).toMatchObject({ type: 'bot', properties: { name: 'n8n Assistant' } });
	expect(bot()?.commands.map((command) => command.command)).toEqual(['again']);

	const botId = bot()!.id;
	portal.writeToBot(botId, 2, 'Is the build green?');
	const writtenAt = Date.now();
	await waitFor('the reply', () => botMessages().length > 0, 20_000);
	console.log(`bot reply after ${((Date.now() - writtenAt) / 1000).toFixed(2)} s`);
	expect(Date.now() - writtenAt).toBeLessThan(10_000);

	// A few more reads: the question is confirmed; the reply brings no event that starts anything.
	const readsAfterReply = reads();
	await waitFor('three more reads', () => reads() >= readsAfterReply + 3, 30_000);
	expect(botMessages()).toHaveLength(1);
	expect(botMessages()[0]).toMatchObject({ dialogId: '2', message: 'Answer to messageAdd' });
	expect(portal.botInputActions.filter((action) => action.botId === botId)).toHaveLength(1);
	expect(portal.botInputActions[0]).toMatchObject({ dialogId: '2', statusMessageCode: '' });
	expect(portal.pendingBotEvents(botId)).toHaveLength(0);
	// Every bot call carried the token (Bot.register inside `fields`, the others beside botId).
	const tokenOf = (params: Record<string, unknown>) =>
		params.botToken ?? (params.fields as Record<string, unknown> | undefined)?.botToken;
	expect(
		portal.calls.filter((call) => call.method.startsWith('imbot.')).every((call) => tokenOf(call.params) === BOT_TOKEN),
	).toBe(true);
	expect(server?.output()).not.toContain(BOT_TOKEN);
});

test('a command button press arrives with commandContext keyboard', async () => {
	const botId = bot()!.id;
	const [reply] = botMessages();
	portal.pressCommandButton(reply.id, 2);
	await waitFor('the answer to the button', () => botMessages().length > 1, 20_000);
	const readsAfter = reads();
	await waitFor('two more reads', () => reads() >= readsAfter + 2, 30_000);
	expect(botMessages().map((message) => message.message)).toEqual([
		'Answer to messageAdd',
		'Answer to commandAdd keyboard',
	]);
	expect(portal.pendingBotEvents(botId)).toHaveLength(0);
});
