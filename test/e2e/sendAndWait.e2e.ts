/**
 * Send and Wait for Response in real n8n: `n8n start` with two active workflows (Webhook →
 * Ask for Approval → Report), started through their production webhooks. The test reads the
 * buttons' links from the question the fake portal received and opens them as a person would.
 * The timed-out run waits for n8n's wait tracker, which looks for due executions once a minute.
 */
import { webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { approvalWorkflow, QUESTION_DIALOG, REPORT_DIALOG } from '../../scripts/lib/sendAndWaitFixtures';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import type { StoredMessage } from '../fakePortal/types';
import { n8nWith, startWithActive } from './n8nWith';
import { outputTail, pause, waitingOn } from './waiting';

const APPROVAL_ID = 'e2eSendAndWait01';
const TIMEOUT_ID = 'e2eSendAndWait02';
const BROWSER = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

let portal: FakePortal;
let n8n: HeadlessN8n;
let server: RunningN8n | undefined;

const waitFor = waitingOn(() => server);

/** Starts a run through the production webhook; n8n may still be activating the workflows (404). */
async function startRun(path: string, run: string): Promise<void> {
	const deadline = Date.now() + 30_000;
	let response = await fetch(`${server!.url}/webhook/${path}?run=${run}`);
	let body = await response.text();
	while (response.status === 404 && Date.now() < deadline) {
		await pause(500);
		response = await fetch(`${server!.url}/webhook/${path}?run=${run}`);
		body = await response.text();
	}
	if (response.status !== 200) {
		throw new Error(`GET /webhook/${path} answered ${response.status}: ${body}\n${outputTail(server)}`);
	}
}

const question = (run: string) =>
	waitFor(`the question of run ${run}`, () =>
		portal.messages.find(
			(message) => message.dialogId === QUESTION_DIALOG && message.message.startsWith(`Refund order ${run}?`),
		),
	);
const report = (run: string, timeoutMs?: number) =>
	waitFor(
		`the report of run ${run}`,
		() =>
			portal.messages.find((message) => message.dialogId === REPORT_DIALOG && message.message.startsWith(`${run}:`)),
		timeoutMs,
	);
const linkOf = (message: StoredMessage, text: string) =>
	(message.keyboard as { BUTTONS: Array<{ TEXT: string; LINK: string }> }).BUTTONS.find(
		(button) => button.TEXT === text,
	)!.LINK;

async function open(link: string, userAgent = BROWSER): Promise<{ status: number; body: string }> {
	const response = await fetch(link, { headers: { 'user-agent': userAgent } });
	return { status: response.status, body: await response.text() };
}

beforeAll(async () => {
	portal = await startFakePortal();
	const credential = webhookCredential('e2eSendWaitCred1', 'Bitrix24 e2e send and wait', portal.webhookUrl);
	n8n = await n8nWith(
		[credential],
		[
			approvalWorkflow({ id: APPROVAL_ID, name: 'e2e: ask and wait', credential, path: 'b24-approval' }),
			approvalWorkflow({
				id: TIMEOUT_ID,
				name: 'e2e: ask, wait 3 s',
				credential,
				path: 'b24-approval-timeout',
				limitMinutes: 0.05,
			}),
		],
	);
	server = await startWithActive(n8n, [APPROVAL_ID, TIMEOUT_ID]);
});

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await portal?.close();
});

test('approve, decline and time out, through the links in the Bitrix24 question', async () => {
	// The time-limited run starts first: n8n's wait tracker takes up to a minute to pick it up.
	await startRun('b24-approval-timeout', 'T3');
	const timedOut = await question('T3');

	// Run 1: the execution waits until the Approve link is opened.
	await startRun('b24-approval', 'A1');
	const asked = await question('A1');
	expect(asked).toMatchObject({ urlPreview: 'N' });
	const approve = linkOf(asked, 'Approve');
	expect(approve).toMatch(
		new RegExp(`^${server!.url}/webhook-waiting/\\d+/${APPROVAL_ID}-ask\\?approved=true&signature=`),
	);
	await pause(2000);
	expect(portal.messages.filter((message) => message.dialogId === REPORT_DIALOG)).toEqual([]);

	// A link preview robot fetching the link decides nothing.
	expect(await open(approve, 'TelegramBot (like TwitterBot)')).toEqual({ status: 200, body: '' });
	await pause(1000);
	expect(portal.messages.filter((message) => message.dialogId === REPORT_DIALOG)).toEqual([]);

	// A changed answer in a signed link is refused by n8n.
	const forged = await open(approve.replace('approved=true', 'approved=false'));
	expect(forged.status).toBe(401);

	const clicked = await open(approve);
	expect(clicked.status).toBe(200);
	expect(clicked.body).toMatch(/Got it, thanks/);
	expect((await report('A1')).message).toBe(`A1: approved=true messageId=${asked.id}`);
	// The question now says what happened, and has no buttons left.
	expect(asked.message).toMatch(/^Refund order A1\?\n\n\[b\]✓ Approved\[\/b\] · \d{4}-\d\d-\d\d \d\d:\d\d \(UTC\)$/);
	expect(asked.keyboard).toBeUndefined();

	// A second click after the workflow went on changes nothing.
	const again = await open(approve);
	expect(again.body).toMatch(/No action required/);
	await pause(1000);
	expect(portal.messages.filter((message) => message.message.startsWith('A1:'))).toHaveLength(1);

	// Run 2: declined.
	await startRun('b24-approval', 'D2');
	const declinedQuestion = await question('D2');
	expect((await open(linkOf(declinedQuestion, 'Decline'))).body).toMatch(/Got it, thanks/);
	expect((await report('D2')).message).toBe(`D2: approved=false messageId=${declinedQuestion.id}`);
	expect(declinedQuestion.message).toMatch(/\[b\]✗ Declined\[\/b\]/);

	// Run 3: nobody answered within 3 s; the workflow went on with the node's input.
	expect((await report('T3', 150_000)).message).toBe('T3: approved=no answer messageId=none');
	expect(timedOut.keyboard).toBeDefined();
	expect(portal.calls.filter((call) => call.method === 'im.message.add')).toHaveLength(6);
});
