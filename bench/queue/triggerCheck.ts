/**
 * `npm run bench:queue -- --trigger`: the Bitrix24 Trigger in queue mode. The trigger runs in the
 * main process and each execution on a worker; an event must be confirmed only once the worker's
 * execution finished. The workflow waits 5 s before replying (as an AI agent takes a while), so a
 * trigger that confirmed at emit time would confirm seconds before the reply: the portal's call
 * order tells them apart.
 */
import type { CredentialFixture, WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import { confirmationOrder, replyWorkflow } from '../../scripts/lib/triggerFixtures';
import type { PortalChild } from '../portalChild';

export const TRIGGER_WORKFLOW_ID = 'QueueTrigger0001';
const THINK_SECONDS = 5;

export function queueTriggerWorkflow(credential: CredentialFixture): WorkflowFixture {
	return replyWorkflow({
		id: TRIGGER_WORKFLOW_ID,
		name: 'queue: trigger, think, reply',
		credential,
		reply: 'Answered from a worker.',
		checkEverySeconds: 2,
		waitSecondsBeforeReply: THINK_SECONDS,
	});
}

async function waitUntil(what: string, condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (!(await condition())) {
		if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
		await new Promise((resolve) => setTimeout(resolve, 200));
	}
}

/** Returns the exit code: 0 when every question was answered once and confirmed after its reply. */
export async function checkTriggerInQueueMode(portal: PortalChild, questions = 3): Promise<number> {
	await waitUntil(
		'the trigger to listen',
		async () => (await portal.calls()).some((call) => call.method === 'im.v2.event.get'),
		60_000,
	);
	let failed = 0;
	for (let index = 0; index < questions; index++) {
		const writtenAt = Date.now();
		const { messageId, eventId } = await portal.postMessage({
			authorId: 2 + index,
			dialogId: `chat${1 + index}`,
			text: `Queue question ${index + 1}`,
		});
		if (eventId === undefined) throw new Error('the question made no event: is the trigger subscribed?');
		const replies = async () =>
			(await portal.messages()).filter((message) => message.replyId === messageId && message.authorId === 1);
		await waitUntil('the reply', async () => (await replies()).length > 0, 60_000);
		const repliedAfterMs = Date.now() - writtenAt;
		await waitUntil(
			'the confirmation',
			async () => confirmationOrder(await portal.calls(), messageId, eventId).confirmedAt >= 0,
			30_000,
		);
		const order = confirmationOrder(await portal.calls(), messageId, eventId);
		const afterReply = order.confirmedAt > order.replyAt;
		const once = (await replies()).length === 1;
		if (!afterReply || !once) failed++;
		console.log(
			`question ${index + 1}: reply from a worker after ${(repliedAfterMs / 1000).toFixed(1)} s (${THINK_SECONDS} s of it thinking); ` +
				`event confirmed ${afterReply ? 'after' : 'BEFORE'} the reply (calls #${order.confirmedAt} vs #${order.replyAt}); ` +
				`${once ? 'answered once' : 'answered more than once'}`,
		);
	}
	console.log(failed === 0 ? 'trigger in queue mode: ok' : `trigger in queue mode: ${failed} question(s) failed`);
	return failed === 0 ? 0 : 1;
}
