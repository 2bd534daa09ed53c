/**
 * The listening trigger in real n8n: a workflow Bitrix24 Trigger → Send Reply, saved as the
 * polling version of the trigger saved it (with Poll Times), is imported, published and run by
 * `n8n start` against the fake portal. A person writes; the reply must reach the portal once, in
 * seconds, and the reply itself must not trigger again. Then n8n is killed (SIGKILL) while a
 * backlog is being emitted and started again: every message must be answered at least once.
 */
import { webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { startN8nServer } from '../../scripts/lib/n8nServer';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { confirmationOrder, replyWorkflow } from '../../scripts/lib/triggerFixtures';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith, startWithActive } from './n8nWith';
import { pause, waitingOn } from './waiting';

const WORKFLOW_ID = 'e2eTriggerReply1';
const REPLY = 'Thanks, we are on it.';
const BACKLOG = 100;

let portal: FakePortal;
let n8n: HeadlessN8n;
let server: RunningN8n | undefined;

const getCalls = () => portal.calls.filter((call) => call.method === 'im.v2.event.get').length;
const repliesTo = (messageId: number) =>
	portal.messages.filter((message) => message.authorId === 1 && message.replyId === messageId).length;

const waitFor = waitingOn(() => server);

beforeAll(async () => {
	portal = await startFakePortal();
	const credential = webhookCredential('e2eTriggerCred01', 'Bitrix24 e2e trigger webhook', portal.webhookUrl);
	n8n = await n8nWith(
		[credential],
		[
			replyWorkflow({
				id: WORKFLOW_ID,
				name: 'e2e: trigger and reply',
				credential,
				reply: REPLY,
				checkEverySeconds: 2,
				savedByPollingVersion: true,
			}),
		],
	);
	server = await startWithActive(n8n, [WORKFLOW_ID]);
});

afterAll(async () => {
	await server?.stop();
	n8n?.dispose();
	await portal?.close();
});

test('an active workflow answers a chat message once, in seconds, and its own reply does not trigger it again', async () => {
	await waitFor('the trigger to listen', () => portal.isSubscribed(1) && getCalls() >= 1);

	const question = portal.postMessage({ authorId: 2, dialogId: 'chat1', text: 'Is the build green?' });
	const eventId = (portal.pendingEvents(1).at(-1) as { eventId: number }).eventId;
	const writtenAt = Date.now();
	await waitFor('the reply', () => repliesTo(question.id) > 0, 20_000);
	console.log(`reply after ${((Date.now() - writtenAt) / 1000).toFixed(2)} s`);

	// A few more reads: the question is confirmed, the reply's own event read and skipped.
	const readsAfterReply = getCalls();
	await waitFor('three more reads', () => getCalls() >= readsAfterReply + 3, 30_000);
	const replies = portal.messages.filter((message) => message.authorId === 1);
	expect(replies).toHaveLength(1);
	expect(replies[0]).toMatchObject({ dialogId: 'chat1', message: REPLY, replyId: question.id });
	expect(portal.pendingEvents(1)).toHaveLength(0);
	// Confirmed only after the execution finished: the read that confirmed it came after the reply.
	const order = confirmationOrder(portal.calls, question.id, eventId);
	expect(order.replyAt).toBeGreaterThanOrEqual(0);
	expect(order.confirmedAt).toBeGreaterThan(order.replyAt);
});

test('n8n killed (SIGKILL) while a backlog is being emitted: after a restart every message is answered', async () => {
	const questions = Array.from(
		{ length: BACKLOG },
		(_, index) =>
			portal.postMessage({ authorId: 2 + (index % 4), dialogId: `chat${1 + (index % 4)}`, text: `backlog ${index}` })
				.id,
	);
	await waitFor('the first replies', () => questions.filter((id) => repliesTo(id) > 0).length >= 20, 60_000);
	server?.process.kill('SIGKILL');
	await new Promise((resolve) => server?.process.once('exit', resolve));
	const callsAtKill = portal.calls.length;

	// At debug level n8n names the executions it runs at start-up (see below).
	server = await startN8nServer({ installation: n8n.installation, env: { ...n8n.env, N8N_LOG_LEVEL: 'debug' } });
	await waitFor('every reply', () => questions.every((id) => repliesTo(id) > 0), 180_000);
	// Let anything that was going to come twice come.
	await pause(6000);

	// Replies the killed process posted: every call before the restarted n8n's first subscribe
	// (a request the dead process had already sent may reach the portal a moment after the kill).
	const restartedAt = portal.calls.findIndex(
		(call, index) => index >= callsAtKill && call.method === 'im.v2.event.subscribe',
	);
	const answeredBeforeKill = new Set(
		portal.calls
			.slice(0, restartedAt)
			.filter((call) => call.method === 'im.message.add')
			.map((call) => Number(call.params.REPLY_ID)),
	);
	const counts = questions.map((id) => repliesTo(id));
	const twice = questions.filter((id) => repliesTo(id) > 1);
	console.log(
		`backlog ${BACKLOG}: ${questions.filter((id) => answeredBeforeKill.has(id)).length} answered before the kill; after the restart ` +
			`${counts.filter((count) => count >= 1).length} of ${BACKLOG} answered, ${counts.filter((count) => count === 1).length} once, ` +
			`${twice.length} twice (their executions finished after the last confirmation, before the kill)`,
	);
	const unexplained = twice.filter((id) => !answeredBeforeKill.has(id));
	const bootLines = server
		.output()
		.split('\n')
		.filter((line) => /enqueued execution/i.test(line));
	console.log(
		`n8n's start-up recovery of executions created before the kill: ${bootLines.join(' | ') || 'none logged'}`,
	);
	if (unexplained.length > 0) {
		const where = (id: number) =>
			portal.calls.flatMap((call, index) =>
				call.method === 'im.message.add' && Number(call.params.REPLY_ID) === id ? [index] : [],
			);
		console.log(
			`twice without a reply before the kill: ${unexplained.map((id) => `${id} at calls ${where(id).join(',')}`).join('; ')}; ` +
				`kill at call ${callsAtKill}, restart subscribed at ${restartedAt}; reads: ` +
				portal.calls
					.flatMap((call, index) =>
						call.method === 'im.v2.event.get' ? [`${index}:${String(call.params.offset)}`] : [],
					)
					.join(' '),
		);
	}
	expect(counts.every((count) => count >= 1)).toBe(true);
	// Twice where unavoidable: the execution had finished before the kill, and the kill came before
	// the next read could confirm it. Some runs also show one to three messages answered twice by the
	// restarted process alone (printed above). n8n in regular mode runs at start-up the executions it
	// had created but not started when it died (logged at debug level as "Found enqueued executions
	// to run", printed above), while the trigger delivers the same unconfirmed events again: the
	// printed calls show the first reply after the restart going to a message that the trigger's
	// in-order lane for that chat reaches only some twenty replies later. The kill makes those
	// unavoidable; more than three would mean something else, so the test fails there.
	expect(unexplained.length).toBeLessThanOrEqual(3);
	expect(counts.every((count) => count <= 2)).toBe(true);
});
