/**
 * The chat loop in real n8n: Send → Update → React → Get Many → Delete, each node fed by the one
 * before it through expressions, against the fake portal over HTTP.
 */
import { SEND_NODE_NAME, sendMessageWorkflow, webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import { appendBitrix24Steps } from '../../scripts/lib/chatLoopFixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

let portal: FakePortal;
let n8n: HeadlessN8n;

const credential = () => webhookCredential('e2eChatLoopCred1', 'Bitrix24 e2e chat loop', portal.webhookUrl);

const chatLoopWorkflow = () =>
	appendBitrix24Steps(
		sendMessageWorkflow({
			id: 'e2eChatLoopFlow1',
			name: 'e2e: send, update, react, read, delete',
			credential: credential(),
			dialogId: 'chat1',
			message: 'Deploy [b]started[/b]',
		}),
		SEND_NODE_NAME,
		credential(),
		[
			{
				name: 'Update',
				resource: 'message',
				operation: 'update',
				parameters: { messageId: '={{ $json.messageId }}', message: 'Deploy [b]finished[/b] ✓' },
			},
			{
				name: 'React',
				resource: 'message',
				operation: 'react',
				parameters: { messageId: '={{ $json.messageId }}', reaction: 'like' },
			},
			{
				name: 'Get Many',
				resource: 'message',
				operation: 'getMany',
				parameters: { dialogId: { __rl: true, mode: 'id', value: 'chat1' }, limit: 1 },
			},
			{
				name: 'Delete',
				resource: 'message',
				operation: 'delete',
				parameters: { messageId: '={{ $json.messageId }}' },
			},
		],
	);

beforeAll(async () => {
	portal = await startFakePortal();
	n8n = await n8nWith([credential()], [chatLoopWorkflow()]);
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

test('Send → Update → React → Get Many → Delete: each step acts on the message the one before produced', async () => {
	const { command, run } = await n8n.execute('e2eChatLoopFlow1');

	assertExitCode(command, (code) => code === 0, '0');
	expect(run?.status).toBe('success');
	expect(portal.messages).toHaveLength(1);
	const [message] = portal.messages;
	expect(message).toMatchObject({
		dialogId: 'chat1',
		message: 'Deploy [b]finished[/b] ✓',
		edited: true,
		likes: [1],
		deleted: true,
	});

	expect(nodeOutputItems(run!, SEND_NODE_NAME)).toEqual([
		{
			messageId: message.id,
			dialogId: 'chat1',
			chatId: 1,
			text: 'Deploy [b]started[/b]',
			link: `${portal.url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${message.id}`,
		},
	]);
	expect(nodeOutputItems(run!, 'Update')).toEqual([{ messageId: message.id, updated: true }]);
	expect(nodeOutputItems(run!, 'React')).toEqual([{ messageId: message.id, liked: true, changed: true }]);
	expect(nodeOutputItems(run!, 'Get Many')).toEqual([
		{
			messageId: message.id,
			dialogId: 'chat1',
			chatId: 1,
			authorId: 1,
			authorName: expect.any(String),
			date: expect.any(String),
			text: 'Deploy [b]finished[/b] ✓',
			params: { IS_EDITED: 'Y', LIKE: [1] },
		},
	]);
	expect(nodeOutputItems(run!, 'Delete')).toEqual([{ messageId: message.id, deleted: true }]);
	expect(portal.calls.map((call) => [call.method, call.outcome])).toEqual([
		['im.message.add', 'ok'],
		['im.message.update', 'ok'],
		['im.message.like', 'ok'],
		['im.dialog.messages.get', 'ok'],
		['im.message.delete', 'ok'],
	]);
	// No message was sent empty, so none was deleted by an update.
	expect(portal.calls.find((call) => call.method === 'im.message.update')?.params.MESSAGE).toBe(
		'Deploy [b]finished[/b] ✓',
	);
});
