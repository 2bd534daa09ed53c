/**
 * Send File in real n8n: a workflow builds a CSV file with n8n's own Convert to File node and
 * posts it with the Bitrix24 node to the fake portal, through im.v2.File.upload and, on a portal
 * without im.v2, through the classic Drive flow.
 */
import { webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import { SEND_FILE_NODE_NAME, sendFileWorkflow } from '../../scripts/lib/sendFileFixtures';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

let portal: FakePortal;
let n8n: HeadlessN8n;

const credential = () => webhookCredential('e2eFileWebhook01', 'Bitrix24 e2e files', portal.webhookUrl);

const ROWS = [
	{ day: 'Mon', orders: 12, revenue: 340.5 },
	{ day: 'Tue', orders: 9, revenue: 210 },
];

const workflows = (): Record<string, WorkflowFixture> => ({
	csvReport: sendFileWorkflow({
		id: 'e2eSendCsvReport',
		name: 'e2e: post a CSV report',
		credential: credential(),
		dialogId: 'chat1',
		rows: ROWS,
		fileName: 'sales.csv',
		message: '**Daily sales** report',
		messageFormat: 'markdown',
	}),
});

beforeAll(async () => {
	portal = await startFakePortal();
	n8n = await n8nWith([credential()], Object.values(workflows()));
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

beforeEach(() => portal.reset());

test('Convert to File → Send File posts the CSV with its caption and outputs {messageId, dialogId, files}', async () => {
	const { command, run } = await n8n.execute(workflows().csvReport.id);

	assertExitCode(command, (code) => code === 0, '0');
	expect(run?.status).toBe('success');
	expect(portal.files).toHaveLength(1);
	const [file] = portal.files;
	expect(file).toMatchObject({ name: 'sales.csv', chatId: 1, flow: 'v2' });
	const csv = file.bytes.toString('utf8');
	expect(csv).toMatch(/day,orders,revenue/);
	expect(csv).toMatch(/Mon,12,340\.5/);
	expect(csv).toMatch(/Tue,9,210/);
	expect(portal.messages).toEqual([
		expect.objectContaining({
			id: file.messageId,
			dialogId: 'chat1',
			message: '[b]Daily sales[/b] report',
			files: [file.diskId],
		}),
	]);
	expect(nodeOutputItems(run!, SEND_FILE_NODE_NAME)).toEqual([
		{
			messageId: file.messageId,
			dialogId: 'chat1',
			chatId: 1,
			link: `${portal.url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${file.messageId}`,
			files: [{ id: file.diskId, name: 'sales.csv', size: file.size }],
		},
	]);
});

test('on a portal without im.v2 the same workflow posts through im.disk.folder.get → disk.folder.uploadfile → im.disk.file.commit', async () => {
	portal.setImV2Available(false);
	portal.setWebhookScopes(['im', 'user', 'disk']);
	const { command, run } = await n8n.execute(workflows().csvReport.id);

	assertExitCode(command, (code) => code === 0, '0');
	expect(portal.calls.map((call) => `${call.method} ${call.outcome}`)).toEqual([
		'im.v2.file.upload ERROR_METHOD_NOT_FOUND',
		'im.disk.folder.get ok',
		'disk.folder.uploadfile ok',
		'im.disk.file.commit ok',
	]);
	const [file] = portal.files;
	expect(file.bytes.toString('utf8')).toMatch(/Mon,12,340\.5/);
	expect(nodeOutputItems(run!, SEND_FILE_NODE_NAME)).toEqual([
		{ messageId: null, dialogId: 'chat1', chatId: 1, files: [{ id: file.diskId, name: 'sales.csv', size: file.size }] },
	]);
});
