/**
 * The trigger in real n8n: a workflow Bitrix24 Trigger → Send Reply is imported, published
 * (activated) and run by `n8n start`, polling the fake portal every minute. A person writes in a
 * chat; the reply must reach the portal exactly once, and the reply itself must not trigger again.
 * Slow by nature: n8n polls at most once a minute.
 */
import { webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { activateWorkflowArgs, assertCommandSucceeded } from '../../scripts/lib/n8nCli';
import { startN8nServer } from '../../scripts/lib/n8nServer';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { replyWorkflow } from '../../scripts/lib/triggerFixtures';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

const WORKFLOW_ID = 'e2eTriggerReply1';
const POLL_WAIT_MS = 150_000;

let portal: FakePortal;
let n8n: HeadlessN8n;
let server: RunningN8n | undefined;

const getCalls = () => portal.calls.filter((call) => call.method === 'im.v2.event.get').length;

async function waitFor(what: string, condition: () => boolean, timeoutMs = POLL_WAIT_MS): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline)
			throw new Error(`Timed out waiting for ${what}\n--- n8n output (tail)\n${server?.output().slice(-4000)}`);
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
}

beforeAll(async () => {
	portal = await startFakePortal();
	const credential = webhookCredential('e2eTriggerCred01', 'Bitrix24 e2e trigger webhook', portal.webhookUrl);
	n8n = await n8nWith(
		[credential],
		[replyWorkflow({ id: WORKFLOW_ID, name: 'e2e: trigger and reply', credential, reply: 'Thanks, we are on it.' })],
	);
	// Import deactivates workflows; publishing (2.x) makes this one active for the next `n8n start`.
	assertCommandSucceeded(await n8n.command(activateWorkflowArgs(n8n.installation.version, WORKFLOW_ID)));
	server = await startN8nServer({ installation: n8n.installation, env: n8n.env });
});

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await portal?.close();
});

test('an active workflow answers a chat message once, and its own reply does not trigger it again', async () => {
	// Activation: subscribe and read once (nothing before activation is replayed).
	await waitFor('the activation poll', () => portal.isSubscribed(1) && getCalls() >= 1);

	const question = portal.postMessage({ authorId: 2, dialogId: 'chat1', text: 'Is the build green?' });
	await waitFor('the reply', () => portal.messages.some((message) => message.replyId === question.id));

	// Two more polls: one confirms the question and sees the reply's own event, one after that.
	const pollsAfterReply = getCalls();
	await waitFor('two more polls', () => getCalls() >= pollsAfterReply + 2, 2 * POLL_WAIT_MS);

	const replies = portal.messages.filter((message) => message.authorId === 1);
	expect(replies).toHaveLength(1);
	expect(replies[0]).toMatchObject({ dialogId: 'chat1', message: 'Thanks, we are on it.', replyId: question.id });
	// The question was confirmed, and the reply's own event was read and skipped.
	expect(
		portal.pendingEvents(1).filter((event) => (event.data.message as { id: number }).id === question.id),
	).toHaveLength(0);
});
