/**
 * Issue-level safety rules in real n8n (the package loaded as a community node, `n8n execute`):
 * a long text is split into several messages, the editor's default Reply To of 0 is no reply, and
 * a redirect from the portal is reported without the secret ever reaching the other host.
 */
import { SEND_NODE_NAME, sendMessageWorkflow, webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import { FAKE_WEBHOOK_CODE, startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { startOtherHost } from '../harness/otherHost';
import type { OtherHost } from '../harness/otherHost';
import { n8nWith } from './n8nWith';

let portal: FakePortal;
let other: OtherHost;
let n8n: HeadlessN8n;

const credential = () => webhookCredential('e2eSafetyCred001', 'Bitrix24 e2e safety webhook', portal.webhookUrl);

const workflows = (): Record<string, WorkflowFixture> => ({
	longText: sendMessageWorkflow({
		id: 'e2eSafetyLongTxt',
		name: 'e2e: a 25,000-character text',
		credential: credential(),
		dialogId: 'chat1',
		// 5,000 five-character words: 25,000 characters, over Bitrix24's 20,000.
		message: '={{ "word ".repeat(5000).trim() }}',
		richFields: { keyboard: { content: { mode: 'json', json: '[{"TEXT": "Open", "LINK": "/online/"}]' } } },
		additionalFields: { replyId: 0 },
	}),
	redirected: sendMessageWorkflow({
		id: 'e2eSafetyRedirct',
		name: 'e2e: the portal answers with a redirect',
		credential: credential(),
		dialogId: 'chat1',
		message: 'never delivered',
	}),
});

beforeAll(async () => {
	portal = await startFakePortal();
	other = await startOtherHost('127.0.0.2');
	n8n = await n8nWith([credential()], Object.values(workflows()));
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
	await other?.close();
});

beforeEach(() => {
	portal.reset();
	other.received.length = 0;
});

test('a text over 20,000 characters is posted as several messages; Reply To 0 is no reply; the keyboard goes with the last', async () => {
	const { command, run } = await n8n.execute(workflows().longText.id);

	assertExitCode(command, (code) => code === 0, '0');
	const messages = portal.messages;
	expect(messages.length).toBe(2);
	for (const message of messages) expect(Array.from(message.message).length).toBeLessThanOrEqual(20_000);
	expect(
		messages
			.map((message) => message.message)
			.join(' ')
			.split(/\s+/),
	).toHaveLength(5000);
	expect(messages.map((message) => message.replyId)).toEqual([undefined, undefined]);
	expect(messages.map((message) => message.keyboard === undefined)).toEqual([true, false]);
	expect(nodeOutputItems(run!, SEND_NODE_NAME)).toMatchObject([
		{ messageId: messages[0].id, messageIds: messages.map((message) => message.id), dialogId: 'chat1' },
	]);
});

test('a redirect to another host fails the run naming that host, and the secret never reaches it', async () => {
	portal.inject({ kind: 'redirect', method: '*', status: 307, redirectTo: other.url });
	const { command, run } = await n8n.execute(workflows().redirected.id);

	assertExitCode(command, (code) => code !== null && code !== 0, 'non-zero');
	expect(other.received).toEqual([]);
	expect(portal.messages).toEqual([]);
	expect(run?.data.resultData.error?.message).toContain(`redirect to ${other.host}: update the credential`);
	expect(command.stdout + command.stderr).not.toContain(FAKE_WEBHOOK_CODE);
});
