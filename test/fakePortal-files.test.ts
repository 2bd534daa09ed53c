/**
 * The fake portal's file methods must answer like Bitrix24 does (im.v2.File.upload and the
 * classic Drive flow, with their documented error codes), or the Send File tests prove nothing.
 * These talk to it over real HTTP with fetch.
 */
import { startFakePortal, type FakePortal } from './fakePortal';

let portal: FakePortal;
beforeAll(async () => {
	portal = await startFakePortal();
});
beforeEach(() => portal.reset());
afterAll(async () => await portal.close());

async function call(method: string, payload: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
	const response = await fetch(`${portal.webhookUrl}${method}.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(payload),
		signal: AbortSignal.timeout(5000),
	});
	return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const hello = Buffer.from('Hello World!').toString('base64');

describe('fake Bitrix24 portal: im.v2.File.upload', () => {
	it('uploads, attaches and posts in one call, answering as documented', async () => {
		const answer = await call('im.v2.File.upload', {
			dialogId: 'chat5',
			fields: { name: 'report.pdf', content: hello, message: 'Here is the report' },
		});
		expect(answer.status).toBe(200);
		const [file] = portal.files;
		const [message] = portal.messages;
		expect(answer.body.result).toEqual({
			dialogId: 'chat5',
			chatId: 5,
			messageId: message.id,
			file: { id: file.diskId, chatId: 5, name: 'report.pdf', extension: 'pdf', size: 12 },
		});
		expect(file.bytes.toString()).toBe('Hello World!');
		expect(message).toMatchObject({ dialogId: 'chat5', message: 'Here is the report', files: [file.diskId] });
	});

	it.each([
		['no name', { name: '', content: hello }, 400, 'FILE_EMPTY'],
		['no content', { name: 'a.txt', content: '' }, 400, 'FILE_EMPTY'],
		[
			'base64 with a data: prefix',
			{ name: 'a.txt', content: `data:text/plain;base64,${hello}` },
			400,
			'INVALID_CONTENT',
		],
		[
			'base64 with line breaks',
			{ name: 'a.txt', content: `${hello.slice(0, 8)}\n${hello.slice(8)}` },
			400,
			'INVALID_CONTENT',
		],
	])('refuses %s', async (_case, fields, status, code) => {
		const answer = await call('im.v2.File.upload', { dialogId: 'chat5', fields });
		expect([answer.status, answer.body.error]).toEqual([status, code]);
		expect(portal.files).toHaveLength(0);
	});

	it('refuses a file over the limit with FILE_TOO_LARGE', async () => {
		portal.setUploadLimit(11);
		const answer = await call('im.v2.File.upload', { dialogId: 'chat5', fields: { name: 'a.txt', content: hello } });
		expect([answer.status, answer.body.error]).toEqual([400, 'FILE_TOO_LARGE']);
	});

	it('answers ACCESS_DENIED for a chat the user cannot reach, before looking at the file', async () => {
		const answer = await call('im.v2.File.upload', { dialogId: 'chat999999', fields: { name: '', content: '' } });
		expect([answer.status, answer.body.error]).toEqual([403, 'ACCESS_DENIED']);
	});

	it('answers ERROR_METHOD_NOT_FOUND on a portal without im.v2', async () => {
		portal.setImV2Available(false);
		const answer = await call('im.v2.File.upload', { dialogId: 'chat5', fields: { name: 'a.txt', content: hello } });
		expect([answer.status, answer.body.error]).toEqual([404, 'ERROR_METHOD_NOT_FOUND']);
	});

	it('is refused inside batch', async () => {
		const answer = await call('batch', {
			halt: 0,
			cmd: { up: `im.v2.File.upload?dialogId=chat5&fields[name]=a.txt&fields[content]=${encodeURIComponent(hello)}` },
		});
		const result = answer.body.result as { result_error: Record<string, { error: string }> };
		expect(result.result_error.up.error).toBe('ERROR_BATCH_METHOD_NOT_ALLOWED');
		expect(portal.files).toHaveLength(0);
	});
});

describe('fake Bitrix24 portal: classic flow, im.disk.folder.get → disk.folder.uploadfile → im.disk.file.commit', () => {
	beforeEach(() => portal.setWebhookScopes(['im', 'user', 'disk']));

	it('stores the upload in the chat folder and posts it only on commit', async () => {
		const folder = await call('im.disk.folder.get', { CHAT_ID: 17 });
		const folderId = (folder.body.result as { ID: number }).ID;
		const upload = await call('disk.folder.uploadfile', {
			id: folderId,
			data: { NAME: 'test.png' },
			fileContent: ['test.png', hello],
			generateUniqueName: true,
		});
		const stored = upload.body.result as { ID: number; NAME: string; SIZE: string };
		expect(stored).toMatchObject({ NAME: 'test.png', SIZE: '12' });
		expect(portal.messages).toHaveLength(0);

		const commit = await call('im.disk.file.commit', {
			CHAT_ID: 17,
			UPLOAD_ID: stored.ID,
			MESSAGE: 'Important document',
		});
		expect(commit.body.result).toBe(true);
		expect(portal.messages).toEqual([
			expect.objectContaining({ dialogId: 'chat17', message: 'Important document', files: [stored.ID] }),
		]);
		expect(portal.files[0]).toMatchObject({
			diskId: stored.ID,
			chatId: 17,
			messageId: portal.messages[0].id,
			flow: 'classic',
		});
	});

	it('answers the documented errors', async () => {
		expect((await call('im.disk.folder.get', {})).body.error).toBe('CHAT_ID_EMPTY');
		expect((await call('im.disk.folder.get', { CHAT_ID: 999999 })).body.error).toBe('ACCESS_ERROR');
		expect((await call('im.disk.file.commit', { CHAT_ID: 17 })).body.error).toBe('FILES_ERROR');
		expect((await call('im.disk.file.commit', { CHAT_ID: 17, UPLOAD_ID: 123456 })).body.error).toBe('FILES_ERROR');
	});

	it('needs the disk scope for disk.folder.uploadfile', async () => {
		portal.setWebhookScopes(['im']);
		const answer = await call('disk.folder.uploadfile', {
			id: 5017,
			data: { NAME: 'a.txt' },
			fileContent: ['a.txt', hello],
		});
		expect(answer.body.error).toBe('insufficient_scope');
	});
});
