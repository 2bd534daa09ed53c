import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';

import { BinaryDataService } from 'n8n-core';

// n8n-core's own copy of the DI container: the top-level @n8n/di may be another version.
const { Container } = createRequire(require.resolve('n8n-core'))('@n8n/di') as typeof import('@n8n/di');

import { useFakePortal } from './harness/fixtures';
import { runBitrix24 } from './harness/runWorkflow';
import { registerTestFile } from './harness/testBinaryItemsNode';

// n8n 2 keeps binaries on disk by default ("filesystem" mode): items then carry only an ID, and
// the node streams the file from n8n's store instead of loading it whole.
beforeAll(async () => {
	await Container.get(BinaryDataService).init();
});

const portal = useFakePortal();

/** Send File to chat2 with one item whose binary is the stored file `token` refers to. */
async function sendStoredFile(token: string) {
	return await runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl } },
		binaryItems: [{ binary: { data: token } }],
		parameters: {
			authentication: 'webhook',
			operation: 'sendFile',
			dialogId: { __rl: true, mode: 'id', value: 'chat2' },
		},
	});
}

it("streams a 5 MB file from n8n's filesystem binary store, unchanged (SHA-256)", async () => {
	const bytes = randomBytes(5 * 1024 * 1024 + 1);
	const token = registerTestFile({ bytes, fileName: 'export.bin', mimeType: 'application/octet-stream' });
	const result = await sendStoredFile(token);
	expect(result.error).toBeUndefined();
	const [file] = portal().files;
	expect(file.sha256).toBe(createHash('sha256').update(bytes).digest('hex'));
	expect(result.output[0].json).toEqual({
		messageId: file.messageId,
		dialogId: 'chat2',
		chatId: 2,
		link: `${portal().url}/online/?IM_DIALOG=chat2&IM_MESSAGE=${file.messageId}`,
		files: [{ id: file.diskId, name: 'export.bin', size: bytes.length }],
	});
});

it('the input item really held a reference to a stored file, not the bytes', async () => {
	const token = registerTestFile({ bytes: Buffer.from('id only'), fileName: 'a.txt' });
	const result = await sendStoredFile(token);
	const input = result.run.data.resultData.runData['Test Items'][0].data?.main[0]?.[0];
	expect(input?.binary?.data.id).toMatch(/^filesystem/);
	expect(portal().files[0].bytes.toString()).toBe('id only');
});
