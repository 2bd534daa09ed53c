/**
 * The audit table of docs/bitrix24-behaviour.md ("Edge inputs, method by method"), row by row
 * against the fake portal: what each method the node calls does with empty, zero, negative, too
 * long, already-done and unknown input. A row here that fails means the fake portal no longer
 * models the server as the table says, and every node test built on that row proves nothing.
 */
import { useFakePortal } from './harness/fixtures';
import { postJson } from './harness/portalHttp';

const portal = useFakePortal();

type Params = Record<string, unknown>;

async function call(method: string, params: Params) {
	const answer = await postJson(`${portal().webhookUrl}${method}.json`, params);
	return { status: answer.status, error: answer.body.error as string | undefined, result: answer.body.result };
}

/** A message by the webhook's user in chat1, and a chat the webhook's user created with user 3. */
async function seed(): Promise<{ messageId: number; chatId: number }> {
	const { id } = portal().seedMessage({ dialogId: 'chat1', message: 'seed', authorId: 1 });
	const created = await call('im.chat.add', { TITLE: 'Audit', USERS: [3] });
	return { messageId: id, chatId: created.result as number };
}

type Row = [
	row: string,
	method: string,
	params: (seeded: { messageId: number; chatId: number }) => Params,
	expected: string,
];

/** `expected`: an error code, or `result:<JSON>` for the result. */
const ROWS: Row[] = [
	['add: empty text', 'im.message.add', () => ({ DIALOG_ID: 'chat1', MESSAGE: ' \n\u0000' }), 'MESSAGE_EMPTY'],
	['add: chat 0', 'im.message.add', () => ({ DIALOG_ID: 'chat0', MESSAGE: 'x' }), 'CHAT_ID_EMPTY'],
	['add: user 0', 'im.message.add', () => ({ DIALOG_ID: '0', MESSAGE: 'x' }), 'USER_ID_EMPTY'],
	['add: unknown user', 'im.message.add', () => ({ DIALOG_ID: '987654', MESSAGE: 'x' }), 'USER_NOT_FOUND'],
	['add: unknown chat', 'im.message.add', () => ({ DIALOG_ID: 'chat987654', MESSAGE: 'x' }), 'ACCESS_ERROR'],
	[
		'add: unknown reply',
		'im.message.add',
		() => ({ DIALOG_ID: 'chat1', MESSAGE: 'x', REPLY_ID: 987654 }),
		'REPLY_ACCESS_ERROR',
	],
	['update: ID 0', 'im.message.update', () => ({ MESSAGE_ID: 0, MESSAGE: 'x' }), 'MESSAGE_ID_ERROR'],
	['update: negative ID', 'im.message.update', () => ({ MESSAGE_ID: -4, MESSAGE: 'x' }), 'MESSAGE_ID_ERROR'],
	['update: unknown ID', 'im.message.update', () => ({ MESSAGE_ID: 987654, MESSAGE: 'x' }), 'CANT_EDIT_MESSAGE'],
	[
		'update: same text again',
		'im.message.update',
		(s) => ({ MESSAGE_ID: s.messageId, MESSAGE: 'seed' }),
		'result:true',
	],
	['delete: ID 0', 'im.message.delete', () => ({ MESSAGE_ID: 0 }), 'MESSAGE_ID_ERROR'],
	['delete: unknown ID', 'im.message.delete', () => ({ MESSAGE_ID: 987654 }), 'CANT_EDIT_MESSAGE'],
	['like: ID 0', 'im.message.like', () => ({ MESSAGE_ID: 0, ACTION: 'plus' }), 'MESSAGE_ID_ERROR'],
	['like: unknown ID', 'im.message.like', () => ({ MESSAGE_ID: 987654, ACTION: 'plus' }), 'WITHOUT_CHANGES'],
	[
		'like: unknown action is a toggle',
		'im.message.like',
		(s) => ({ MESSAGE_ID: s.messageId, ACTION: 'x' }),
		'result:true',
	],
	['history: empty dialog', 'im.dialog.messages.get', () => ({ DIALOG_ID: '' }), 'DIALOG_ID_EMPTY'],
	['history: unknown chat', 'im.dialog.messages.get', () => ({ DIALOG_ID: 'chat987654' }), 'ACCESS_ERROR'],
	[
		'history: FIRST_ID not digits',
		'im.dialog.messages.get',
		() => ({ DIALOG_ID: 'chat1', FIRST_ID: '-1' }),
		'FIRST_ID_STRING',
	],
	[
		'history: LAST_ID not digits',
		'im.dialog.messages.get',
		() => ({ DIALOG_ID: 'chat1', LAST_ID: 'x' }),
		'LAST_ID_STRING',
	],
	['dialog: empty', 'im.dialog.get', () => ({ DIALOG_ID: '' }), 'DIALOG_ID_EMPTY'],
	['dialog: unknown chat', 'im.dialog.get', () => ({ DIALOG_ID: 'chat987654' }), 'ACCESS_ERROR'],
	['notify: user 0', 'im.notify.personal.add', () => ({ USER_ID: 0, MESSAGE: 'x' }), 'USER_ID_EMPTY'],
	['notify: negative user', 'im.notify.system.add', () => ({ USER_ID: -3, MESSAGE: 'x' }), 'USER_ID_EMPTY'],
	[
		'notify: text only spaces and NUL',
		'im.notify.personal.add',
		() => ({ USER_ID: 5, MESSAGE: ' \u0000\n' }),
		'MESSAGE_EMPTY',
	],
	['notify: unknown user', 'im.notify.personal.add', () => ({ USER_ID: 987654, MESSAGE: 'x' }), 'result:false'],
	[
		'notify: webhook tag without CLIENT_ID',
		'im.notify.personal.add',
		() => ({ USER_ID: 5, MESSAGE: 'x', TAG: 't' }),
		'ACCESS_DENIED',
	],
	['user.add: chat 0', 'im.chat.user.add', () => ({ CHAT_ID: 0, USERS: [3] }), 'CHAT_ID_EMPTY'],
	['user.add: no users', 'im.chat.user.add', (s) => ({ CHAT_ID: s.chatId, USERS: [] }), 'WRONG_REQUEST'],
	['user.add: already members', 'im.chat.user.add', (s) => ({ CHAT_ID: s.chatId, USERS: [3] }), 'WRONG_REQUEST'],
	[
		'user.add: unknown users only',
		'im.chat.user.add',
		(s) => ({ CHAT_ID: s.chatId, USERS: [987654] }),
		'WRONG_REQUEST',
	],
	['user.add: one new among members', 'im.chat.user.add', (s) => ({ CHAT_ID: s.chatId, USERS: [3, 9] }), 'result:true'],
	['user.list: chat 0', 'im.chat.user.list', () => ({ CHAT_ID: 0 }), 'CHAT_ID_EMPTY'],
	['user.list: members', 'im.chat.user.list', (s) => ({ CHAT_ID: s.chatId }), 'result:[1,3]'],
	['user.list: not a member', 'im.chat.user.list', () => ({ CHAT_ID: 987654 }), 'result:[]'],
	['folder.get: chat 0', 'im.disk.folder.get', () => ({ CHAT_ID: 0 }), 'CHAT_ID_EMPTY'],
	['commit: no file', 'im.disk.file.commit', () => ({ CHAT_ID: 1 }), 'FILES_ERROR'],
	['commit: unknown file', 'im.disk.file.commit', () => ({ CHAT_ID: 1, UPLOAD_ID: 987654 }), 'FILES_ERROR'],
	[
		'v2 upload: empty content',
		'im.v2.File.upload',
		() => ({ dialogId: 'chat1', fields: { name: 'a.txt', content: '' } }),
		'FILE_EMPTY',
	],
	[
		'v2 upload: not base64',
		'im.v2.File.upload',
		() => ({ dialogId: 'chat1', fields: { name: 'a.txt', content: 'a b' } }),
		'INVALID_CONTENT',
	],
];

describe('fake Bitrix24 portal: the audit table, row by row', () => {
	it.each(ROWS)('%s', async (_row, method, params, expected) => {
		const seeded = await seed();
		const answer = await call(method, params(seeded));
		if (expected.startsWith('result:')) {
			expect(answer.error).toBeUndefined();
			expect(answer.result).toEqual(JSON.parse(expected.slice('result:'.length)));
		} else {
			expect(answer.error).toBe(expected);
		}
	});

	it('too long: an edit and a caption over 20,006 characters are cut to 20,000 plus " (...)"; a new message is cut without a mark', async () => {
		const { messageId } = await seed();
		await call('im.message.update', { MESSAGE_ID: messageId, MESSAGE: 'u'.repeat(20_010) });
		await call('im.message.add', { DIALOG_ID: 'chat1', MESSAGE: 'a'.repeat(20_010) });
		await call('im.v2.File.upload', {
			dialogId: 'chat1',
			fields: { name: 'a.txt', content: Buffer.from('a').toString('base64'), message: 'c'.repeat(20_010) },
		});
		expect(portal().messages.map((message) => message.message.length)).toEqual([20_006, 20_000, 20_006]);
	});

	it('already done: a second delete is CANT_EDIT_MESSAGE; a second notification and a second chat are new ones', async () => {
		const { messageId } = await seed();
		expect((await call('im.message.delete', { MESSAGE_ID: messageId })).result).toBe(true);
		expect((await call('im.message.delete', { MESSAGE_ID: messageId })).error).toBe('CANT_EDIT_MESSAGE');
		const first = await call('im.notify.personal.add', { USER_ID: 5, MESSAGE: 'x' });
		const second = await call('im.notify.personal.add', { USER_ID: 5, MESSAGE: 'x' });
		expect(second.result).not.toBe(first.result);
		expect(portal().notifications).toHaveLength(2);
		await call('im.chat.add', { TITLE: 'Audit' });
		expect(portal().chats.size).toBe(2);
	});

	it('history: LIMIT over 50 gives 50', async () => {
		for (let index = 0; index < 60; index++)
			portal().seedMessage({ dialogId: 'chat2', message: `m${index}`, authorId: 1 });
		const answer = await call('im.dialog.messages.get', { DIALOG_ID: 'chat2', LIMIT: 80 });
		expect((answer.result as { messages: unknown[] }).messages).toHaveLength(50);
	});
});
