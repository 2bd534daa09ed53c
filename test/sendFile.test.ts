import { createHash, randomBytes } from 'node:crypto';

import { fromItem, useFakePortal } from './harness/fixtures';
import { runBitrix24 } from './harness/runWorkflow';
import type { RunOptions } from './harness/runWorkflow';
import { registerTestFile } from './harness/testBinaryItemsNode';
import type { BinaryTestItem } from './harness/testBinaryItemsNode';

const portal = useFakePortal();

const sha256 = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
const csv = (text: string) =>
	registerTestFile({ bytes: Buffer.from(text), fileName: 'report.csv', mimeType: 'text/csv' });

const credentials = () => ({ bitrix24WebhookApi: { webhookUrl: portal().webhookUrl } });

function sendFile(
	binaryItems: BinaryTestItem[],
	parameters: RunOptions['parameters'] = {},
	onError?: RunOptions['onError'],
) {
	return runBitrix24({
		credentials: credentials(),
		binaryItems,
		onError,
		parameters: {
			authentication: 'webhook',
			operation: 'sendFile',
			dialogId: { __rl: true, mode: 'id', value: 'chat1' },
			...parameters,
		},
	});
}

const uploadCalls = () => portal().calls.filter((call) => call.method === 'im.v2.file.upload');

describe('message → sendFile through im.v2.File.upload', () => {
	it('posts one file with a caption and outputs {messageId, dialogId, files}', async () => {
		const result = await sendFile([{ binary: { data: csv('day,total\nmon,3\n') } }], { message: 'Daily report' });
		expect(result.error).toBeUndefined();
		const [file] = portal().files;
		expect(file).toMatchObject({ name: 'report.csv', flow: 'v2', chatId: 1, size: 16 });
		expect(file.bytes.toString()).toBe('day,total\nmon,3\n');
		expect(portal().messages).toEqual([
			expect.objectContaining({ id: file.messageId, dialogId: 'chat1', message: 'Daily report', files: [file.diskId] }),
		]);
		expect(result.output.map((item) => item.json)).toEqual([
			{
				messageId: file.messageId,
				dialogId: 'chat1',
				chatId: 1,
				link: `${portal().url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${file.messageId}`,
				files: [{ id: file.diskId, name: 'report.csv', size: 16 }],
			},
		]);
		expect(result.output[0].pairedItem).toEqual({ item: 0 });
		expect(uploadCalls().map((call) => call.via)).toEqual(['direct']);
		const request = portal().httpRequests[0];
		expect(request.headers['content-type']).toMatch(/^application\/json/);
	});

	it('delivers a 5 MB random file byte for byte (SHA-256)', async () => {
		const bytes = randomBytes(5 * 1024 * 1024);
		const token = registerTestFile({ bytes, fileName: 'random.bin', mimeType: 'application/octet-stream' });
		const result = await sendFile([{ binary: { data: token } }]);
		expect(result.error).toBeUndefined();
		expect(portal().files).toHaveLength(1);
		expect(portal().files[0].size).toBe(bytes.length);
		expect(portal().files[0].sha256).toBe(sha256(bytes));
		expect(result.output[0].json.files).toEqual([
			{ id: portal().files[0].diskId, name: 'random.bin', size: bytes.length },
		]);
	});

	it('sends several files from a comma-separated list, each as its own message with its ID', async () => {
		const chart = registerTestFile({
			bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]),
			fileName: 'chart.png',
			mimeType: 'image/png',
		});
		const result = await sendFile([{ binary: { report: csv('a,b\n'), chart } }], {
			binaryPropertyName: 'report, chart',
			message: '**Weekly** numbers',
			messageFormat: 'markdown',
		});
		expect(result.error).toBeUndefined();
		const [report, image] = portal().files;
		expect([report.name, image.name]).toEqual(['report.csv', 'chart.png']);
		expect(image.bytes).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3]));
		// The caption goes with the first file only, converted from Markdown.
		expect(portal().messages.map((message) => message.message)).toEqual(['[b]Weekly[/b] numbers', '']);
		expect(result.output.map((item) => item.json)).toEqual([
			{
				messageId: report.messageId,
				dialogId: 'chat1',
				chatId: 1,
				link: `${portal().url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${report.messageId}`,
				files: [
					{ id: report.diskId, name: 'report.csv', size: 4, messageId: report.messageId },
					{ id: image.diskId, name: 'chart.png', size: 7, messageId: image.messageId },
				],
			},
		]);
	});

	it('renames the file with Options → File Name', async () => {
		const result = await sendFile([{ binary: { data: csv('x') } }], { options: { fileName: 'sales-2026-12-01.csv' } });
		expect(result.error).toBeUndefined();
		expect(portal().files[0].name).toBe('sales-2026-12-01.csv');
	});
});

describe('sendFile validation: nothing is sent', () => {
	it('names a missing binary property and lists the ones the item has', async () => {
		const result = await sendFile([{ binary: { data: csv('ok') } }, { binary: { file: csv('x'), chart: csv('y') } }]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Invalid "Input Binary Field" in item 1: the item has no binary property "data"; it has "file", "chart"',
		);
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('says when an item has no binary data at all', async () => {
		const result = await sendFile([{ json: { text: 'no file' } }]);
		expect(result.error?.message).toMatch(/no binary property "data"; it has no binary data at all/);
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('refuses an empty file', async () => {
		const empty = registerTestFile({ bytes: Buffer.alloc(0), fileName: 'empty.txt' });
		const result = await sendFile([{ binary: { data: empty } }]);
		expect(result.error?.message).toMatch(
			/^Invalid "Input Binary Field" in item 0: the file in "data" \(empty.txt\) is empty/,
		);
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('refuses a file over 100 MB and says the limit', async () => {
		const big = registerTestFile({
			bytes: Buffer.from('x'),
			fileName: 'video.mp4',
			claimedBytes: 100 * 1024 * 1024 + 1,
		});
		const result = await sendFile([{ binary: { data: big } }]);
		expect(result.error?.message).toMatch(/is 100\.0 MB; Bitrix24 accepts at most 100 MB per file/);
		expect(portal().httpRequests).toHaveLength(0);
	});

	it('refuses File Name with several files instead of renaming them all alike', async () => {
		const result = await sendFile([{ binary: { a: csv('1'), b: csv('2') } }], {
			binaryPropertyName: 'a,b',
			options: { fileName: 'x.csv' },
		});
		expect(result.error?.message).toMatch(/^Invalid "File Name" in item 0/);
		expect(portal().httpRequests).toHaveLength(0);
	});
});

describe('sendFile fallback to the classic flow (portal without im.v2)', () => {
	beforeEach(() => {
		portal().setImV2Available(false);
		portal().setWebhookScopes(['im', 'user', 'disk']);
	});

	it('asks im.v2 once, then uses folder.get → uploadfile → commit for every file of the execution', async () => {
		const bytes = randomBytes(300_000);
		const binary = registerTestFile({ bytes, fileName: 'dump.bin' });
		const result = await sendFile([{ binary: { data: csv('a\n') } }, { binary: { data: binary } }], {
			message: 'Nightly export',
		});
		expect(result.error).toBeUndefined();
		expect(portal().calls.map((call) => `${call.method} ${call.outcome}`)).toEqual([
			'im.v2.file.upload ERROR_METHOD_NOT_FOUND',
			'im.disk.folder.get ok',
			'disk.folder.uploadfile ok',
			'im.disk.file.commit ok',
			'im.disk.folder.get ok',
			'disk.folder.uploadfile ok',
			'im.disk.file.commit ok',
		]);
		const [first, second] = portal().files;
		expect(second.sha256).toBe(sha256(bytes));
		expect(portal().messages.map((message) => [message.dialogId, message.message, message.files])).toEqual([
			['chat1', 'Nightly export', [first.diskId]],
			['chat1', 'Nightly export', [second.diskId]],
		]);
		// The classic commit answers `true`: the message ID is not known.
		expect(result.output.map((item) => item.json)).toEqual([
			{ messageId: null, dialogId: 'chat1', chatId: 1, files: [{ id: first.diskId, name: 'report.csv', size: 2 }] },
			{
				messageId: null,
				dialogId: 'chat1',
				chatId: 1,
				files: [{ id: second.diskId, name: 'dump.bin', size: 300_000 }],
			},
		]);
	});

	it('finds the chat of a private dialog with im.dialog.get', async () => {
		const result = await sendFile([{ binary: { data: csv('a') } }], {
			dialogId: { __rl: true, mode: 'id', value: '7' },
		});
		expect(result.error).toBeUndefined();
		expect(portal().calls.map((call) => call.method)).toEqual([
			'im.v2.file.upload',
			'im.dialog.get',
			'im.disk.folder.get',
			'disk.folder.uploadfile',
			'im.disk.file.commit',
		]);
		expect(portal().messages[0].dialogId).toBe('7');
	});

	it('reports the Drive file ID of an upload whose commit failed', async () => {
		portal().inject({
			kind: 'error',
			method: 'im.disk.file.commit',
			code: 'INTERNAL_ERROR',
			status: 400,
			description: 'Commit failed',
		});
		const result = await sendFile([{ binary: { data: csv('a') } }]);
		const [orphan] = portal().files;
		expect(orphan.messageId).toBeUndefined();
		expect(result.error?.message).toContain(
			`uploaded to the chat's Drive folder as file ${orphan.diskId} but not posted to the chat: post it with im.disk.file.commit (CHAT_ID 1, UPLOAD_ID ${orphan.diskId}) or delete it with disk.file.delete (id ${orphan.diskId})`,
		);
	});

	it('asks again for a lookup whose answer was lost, but never re-sends the Drive upload', async () => {
		portal().inject({ kind: 'dropAfterCreate', method: 'im.disk.folder.get' });
		portal().inject({ kind: 'dropAfterCreate', method: 'disk.folder.uploadfile' });
		const result = await sendFile([{ binary: { data: csv('a') } }]);
		expect(portal().calls.map((call) => call.method)).toEqual([
			'im.v2.file.upload',
			'im.disk.folder.get',
			'im.disk.folder.get',
			'disk.folder.uploadfile',
		]);
		expect(result.error?.message).toMatch(
			/The file "report.csv" may or may not have been uploaded; it was not retried/,
		);
		expect(portal().files).toHaveLength(1);
		expect(portal().messages).toHaveLength(0);
	});

	it('needs the disk scope for the Drive upload', async () => {
		portal().setWebhookScopes(['im', 'user']);
		const result = await sendFile([{ binary: { data: csv('a') } }]);
		expect(result.error?.message).toMatch(/^insufficient_scope/);
		expect(result.error?.message).toContain(
			'files go through Bitrix24 Drive: the webhook or application needs the "disk" scope besides "im"',
		);
		expect(portal().files).toHaveLength(0);
	});
});

describe('sendFile reliability', () => {
	it('never retries an upload whose connection dropped: "may or may not have been uploaded"', async () => {
		portal().inject({ kind: 'dropAfterCreate', method: 'im.v2.file.upload' });
		const result = await sendFile([{ binary: { data: csv('a') } }]);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(
			/The file "report.csv" may or may not have been uploaded; it was not retried/,
		);
		expect(uploadCalls()).toHaveLength(1);
		expect(portal().files).toHaveLength(1);
	});

	it('never sends an upload inside batch, even with many items', async () => {
		const items = Array.from({ length: 3 }, (_, index) => ({ binary: { data: csv(`row ${index}`) } }));
		const result = await sendFile(items);
		expect(result.error).toBeUndefined();
		expect(portal().calls.map((call) => `${call.method} ${call.via}`)).toEqual(
			Array(3).fill('im.v2.file.upload direct'),
		);
	});

	it('passes on FILE_TOO_LARGE from the portal', async () => {
		portal().setUploadLimit(10);
		const result = await sendFile([{ binary: { data: csv('more than ten bytes') } }]);
		expect(result.error?.message).toMatch(/^FILE_TOO_LARGE: File too large \(HTTP 400\)/);
	});

	it('tells which files of an item were already posted when a later one fails', async () => {
		portal().setUploadLimit(10);
		const small = registerTestFile({ bytes: Buffer.from('1'), fileName: 'small.csv' });
		const large = registerTestFile({ bytes: Buffer.alloc(20, 'x'), fileName: 'large.csv' });
		const result = await sendFile(
			[{ binary: { a: small, b: large } }],
			{ binaryPropertyName: 'a,b' },
			'continueRegularOutput',
		);
		const [posted] = portal().files;
		expect(portal().files).toHaveLength(1);
		expect(result.output.map((item) => item.json)).toEqual([
			{
				error: expect.stringMatching(
					new RegExp(`^FILE_TOO_LARGE: .*Already posted from item 0: "small.csv" \\(message ${posted.messageId}\\)$`),
				),
				code: 'FILE_TOO_LARGE',
				files: [{ id: posted.diskId, name: 'small.csv', size: 1, messageId: posted.messageId }],
			},
		]);
	});
});

describe.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
	'sendFile continue on fail (%s)',
	(onError) => {
		it('fails items one by one with pairedItem, and sends the others', async () => {
			const items: BinaryTestItem[] = [
				{ json: { chat: 'chat1' }, binary: { data: csv('zero') } },
				{ json: { chat: 'chat1' }, binary: { other: csv('one') } },
				{ json: { chat: 'chat999999' }, binary: { data: csv('two') } },
				{ json: { chat: 'chat3' }, binary: { data: csv('three') } },
			];
			const result = await sendFile(items, { dialogId: { __rl: true, mode: 'id', value: fromItem('chat') } }, onError);
			expect(result.status).toBe('success');
			expect(portal().files.map((file) => file.bytes.toString())).toEqual(['zero', 'three']);
			const failures = [
				{
					error: expect.stringMatching(
						/^Invalid "Input Binary Field" in item 1: the item has no binary property "data"; it has "other"/,
					),
					code: 'INVALID_PARAMETER',
				},
				{ error: expect.stringMatching(/^ACCESS_DENIED: Access denied \(HTTP 403\)/), code: 'ACCESS_DENIED' },
			];
			const successes = [
				{
					messageId: portal().files[0].messageId,
					dialogId: 'chat1',
					chatId: 1,
					link: expect.stringContaining('IM_DIALOG=chat1&IM_MESSAGE='),
					files: [expect.objectContaining({ name: 'report.csv', size: 4 })],
				},
				{
					messageId: portal().files[1].messageId,
					dialogId: 'chat3',
					chatId: 3,
					link: expect.stringContaining('IM_DIALOG=chat3&IM_MESSAGE='),
					files: [expect.objectContaining({ name: 'report.csv', size: 5 })],
				},
			];
			if (onError === 'continueRegularOutput') {
				expect(result.output.map((item) => item.json)).toEqual([successes[0], failures[0], failures[1], successes[1]]);
				expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3].map((item) => ({ item })));
			} else {
				expect(result.output.map((item) => item.json)).toEqual(successes);
				expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 3 }]);
				expect(result.errorOutput.map((item) => item.json.error)).toEqual(failures.map((failure) => failure.error));
				expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 2 }]);
			}
		});
	},
);

// Last in the file: a refusal slows this process's pacing for the portal for a minute (adaptive
// pacing), and the tests after it would wait for their slots.
describe('sendFile under the rate limit', () => {
	it('retries an upload refused by the rate limit (nothing ran)', async () => {
		portal().inject({ kind: 'queryLimit', method: 'im.v2.file.upload' });
		const result = await sendFile([{ binary: { data: csv('a') } }]);
		expect(result.error).toBeUndefined();
		expect(uploadCalls().map((call) => call.outcome)).toEqual(['QUERY_LIMIT_EXCEEDED', 'ok']);
		expect(portal().files).toHaveLength(1);
	});
});
