/**
 * The node in real n8n, loaded as a community package, sending to the fake portal over HTTP
 * through its inbound-webhook credential: `n8n import:*` then `n8n execute` per scenario.
 */
import { SEND_NODE_NAME, sendMessageWorkflow, webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import type { N8nCommandResult } from '../../scripts/lib/n8nCli';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

const UNKNOWN_CHAT = 'chat999999';

let portal: FakePortal;
let n8n: HeadlessN8n;

const credential = () => webhookCredential('e2eWebhookCred01', 'Bitrix24 e2e webhook', portal.webhookUrl);
const wrongSecretCredential = () =>
	webhookCredential(
		'e2eBadSecretCred',
		'Bitrix24 e2e wrong secret',
		portal.webhookUrl.replace(/\/[^/]+\/$/, '/notTheSecret0000/'),
	);

const workflows = (): Record<string, WorkflowFixture> => ({
	send: sendMessageWorkflow({
		id: 'e2eSendTwoItems1',
		name: 'e2e: send two items',
		credential: credential(),
		items: [
			{ dialogId: 'chat1', text: 'Привет, [b]мир[/b] & <friends> 🚀' },
			{ dialogId: '7', text: 'Second line\nwith a break' },
		],
		dialogId: '={{ $json.dialogId }}',
		message: '={{ $json.text }}',
		richFields: { attach: { content: { mode: 'json', json: JSON.stringify([{ MESSAGE: 'Build #42 passed' }]) } } },
		additionalFields: { urlPreview: false },
	}),
	continueRegular: sendMessageWorkflow({
		id: 'e2eContinueRegul',
		name: 'e2e: continue on fail, regular output',
		credential: credential(),
		items: [
			{ dialogId: 'chat1', text: 'regular 1' },
			{ dialogId: UNKNOWN_CHAT, text: 'regular 2 fails' },
			{ dialogId: 'chat2', text: 'regular 3' },
		],
		dialogId: '={{ $json.dialogId }}',
		message: '={{ $json.text }}',
		onError: 'continueRegularOutput',
	}),
	continueErrorOutput: sendMessageWorkflow({
		id: 'e2eContinueError',
		name: 'e2e: continue on fail, error output',
		credential: credential(),
		items: [
			{ dialogId: 'chat1', text: 'error-output 1' },
			{ dialogId: UNKNOWN_CHAT, text: 'error-output 2 fails' },
			{ dialogId: 'chat2', text: 'error-output 3' },
		],
		dialogId: '={{ $json.dialogId }}',
		message: '={{ $json.text }}',
		onError: 'continueErrorOutput',
	}),
	failing: sendMessageWorkflow({
		id: 'e2eFailingRun001',
		name: 'e2e: an API error fails the run',
		credential: credential(),
		items: [{ dialogId: UNKNOWN_CHAT, text: 'this one fails' }],
		dialogId: '={{ $json.dialogId }}',
		message: '={{ $json.text }}',
	}),
	wrongSecret: sendMessageWorkflow({
		id: 'e2eWrongSecret01',
		name: 'e2e: a wrong webhook secret fails the run',
		credential: wrongSecretCredential(),
		dialogId: 'chat1',
		message: 'never delivered',
	}),
	thousand: sendMessageWorkflow({
		id: 'e2eThousandItems',
		name: 'e2e: 1,000 items',
		credential: credential(),
		generatedItemCount: 1000,
		dialogId: '={{ $json.dialogId }}',
		message: '={{ "Message " + $json.index }}',
	}),
});

beforeAll(async () => {
	portal = await startFakePortal();
	n8n = await n8nWith([credential(), wrongSecretCredential()], Object.values(workflows()));
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

beforeEach(() => portal.reset());

// Exit code checks that show n8n's output when they fail.
const expectSuccess = (command: N8nCommandResult) => assertExitCode(command, (code) => code === 0, '0');
const expectFailure = (command: N8nCommandResult) =>
	assertExitCode(command, (code) => code !== null && code !== 0, 'non-zero');

const callOutcomeFor = (dialogId: string) =>
	portal.calls.find((call) => call.method === 'im.message.add' && call.params.DIALOG_ID === dialogId)?.outcome;

test('sends each item as a message and outputs {messageId, dialogId} per item', async () => {
	const { command, run } = await n8n.execute(workflows().send.id);

	expectSuccess(command);
	expect(run?.status).toBe('success');
	expect(
		portal.messages.map(({ dialogId, message, urlPreview, via, auth }) => ({
			dialogId,
			message,
			urlPreview,
			via,
			auth,
		})),
	).toEqual([
		{
			dialogId: 'chat1',
			message: 'Привет, [b]мир[/b] & <friends> 🚀',
			urlPreview: 'N',
			via: expect.any(String),
			auth: 'webhook',
		},
		{ dialogId: '7', message: 'Second line\nwith a break', urlPreview: 'N', via: expect.any(String), auth: 'webhook' },
	]);
	expect(portal.messages.map((message) => message.attach)).toEqual([
		[{ MESSAGE: 'Build #42 passed' }],
		[{ MESSAGE: 'Build #42 passed' }],
	]);
	const output = nodeOutputItems(run!, SEND_NODE_NAME);
	expect(output).toMatchObject(
		portal.messages.map((message) => ({ messageId: message.id, dialogId: message.dialogId })),
	);
	// The text as sent; for the group chat its chat ID and a link that opens the message.
	const [group, person] = portal.messages;
	expect(output[0]).toMatchObject({
		chatId: 1,
		text: group.message,
		link: `${portal.url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${group.id}`,
	});
	expect(output[1]).toMatchObject({ text: person.message });
	expect(output[1]).not.toHaveProperty('link');
});

test('continue on fail (regular output): the failed item becomes {error, code} in place, the others are sent', async () => {
	const { command, run } = await n8n.execute(workflows().continueRegular.id);

	expectSuccess(command);
	expect(portal.messages.map((message) => message.message)).toEqual(['regular 1', 'regular 3']);
	const refusal = callOutcomeFor(UNKNOWN_CHAT);
	expect(refusal).toMatch(/^[A-Z_]+$/);
	const output = nodeOutputItems(run!, SEND_NODE_NAME);
	expect(output).toMatchObject([
		{ messageId: portal.messages[0].id, dialogId: 'chat1' },
		{ error: expect.any(String), code: refusal },
		{ messageId: portal.messages[1].id, dialogId: 'chat2' },
	]);
});

test('continue on fail (error output): the failed item goes to the error output, the others to success', async () => {
	const { command, run } = await n8n.execute(workflows().continueErrorOutput.id);

	expectSuccess(command);
	expect(portal.messages.map((message) => message.message)).toEqual(['error-output 1', 'error-output 3']);
	expect(nodeOutputItems(run!, SEND_NODE_NAME, 0)).toMatchObject([
		{ messageId: portal.messages[0].id, dialogId: 'chat1' },
		{ messageId: portal.messages[1].id, dialogId: 'chat2' },
	]);
	const errorItems = nodeOutputItems(run!, SEND_NODE_NAME, 1);
	expect(errorItems).toHaveLength(1);
	// n8n rewrites items routed to the error output to {error, details?}.
	expect(errorItems[0]).toEqual(expect.objectContaining({ error: expect.any(String) }));
	expect(Object.keys(errorItems[0]).every((key) => ['error', 'details'].includes(key))).toBe(true);
});

test('without continue on fail, a Bitrix24 error fails the run with its code, and n8n exits non-zero', async () => {
	const { command, run } = await n8n.execute(workflows().failing.id);

	expectFailure(command);
	expect(portal.messages).toEqual([]);
	const refusal = callOutcomeFor(UNKNOWN_CHAT);
	expect(refusal).toMatch(/^[A-Z_]+$/);
	// n8n logs the failed run before exiting; the error names the node and carries Bitrix24's code.
	expect(run?.status).toBe('error');
	const error = run?.data.resultData.error;
	expect(error?.node?.name).toBe(SEND_NODE_NAME);
	expect(`${error?.message} ${error?.description}`).toContain(refusal!);
});

test("a wrong webhook secret fails the run with the portal's auth error and delivers nothing", async () => {
	const { command, run } = await n8n.execute(workflows().wrongSecret.id);

	expectFailure(command);
	expect(portal.messages).toEqual([]);
	expect(portal.httpRequests.length).toBeGreaterThan(0);
	expect(portal.httpRequests.every((request) => request.status === 401)).toBe(true);
	expect(`${run?.data.resultData.error?.message} ${run?.data.resultData.error?.description}`).toMatch(
		/INVALID_CREDENTIALS|credential|webhook/i,
	);
	// The secret must not appear in what n8n printed.
	expect(command.stdout + command.stderr).not.toContain('notTheSecret0000');
});

test('1,000 items: every message delivered once, in order, in 20 batch requests, ids matching the output', async () => {
	const { command, run } = await n8n.execute(workflows().thousand.id);

	expectSuccess(command);
	expect(portal.messages).toHaveLength(1000);
	expect(portal.messages.map((message) => message.message)).toEqual(
		Array.from({ length: 1000 }, (_, index) => `Message ${index + 1}`),
	);
	expect(new Set(portal.messages.map((message) => message.via))).toEqual(new Set(['batch']));
	expect(portal.httpRequests.filter((request) => request.path.includes('/batch'))).toHaveLength(20);
	const output = nodeOutputItems(run!, SEND_NODE_NAME);
	expect(output).toMatchObject(portal.messages.map((message) => ({ messageId: message.id, dialogId: 'chat1' })));
	console.log(`1,000 items: n8n execute took ${command.milliseconds} ms`);
});
