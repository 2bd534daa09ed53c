import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { waitUnlessStopped } from '../Bitrix24/transport/wait';
import { fetchEvents, subscribe, userEventFeed } from './eventStream';
import type { RawEvent } from './eventItem';
import { matchingItem, openReader } from './reader';
import type { Reader } from './reader';
import { MIN_PAGE_GAP_MS, runListeningLoop } from '../shared/listening/listeningLoop';
import { claimQueue } from '../shared/listening/queueOwners';

/**
 * Bitrix24 gives no way to ask whether a user is still subscribed: a read after another app
 * unsubscribed the user just comes back empty. Subscribing again is idempotent and keeps what was
 * recorded, so the loop renews the subscription this often; at most this long of events can be
 * missed after someone else unsubscribes the user.
 */
export const RENEW_SUBSCRIPTION_EVERY_MS = 2 * 60 * 1000;
/** Skipping the backlog when a person switches the workflow on reads at most this many pages. */
const MAX_PAGES_TO_SKIP = 100;

/**
 * Switched on by a person: history from before is not replayed. The position after the skipped
 * backlog is returned, not confirmed: the loop's first read confirms it.
 */
async function skipBacklog(
	context: ITriggerFunctions,
	reader: Reader,
	signal: AbortSignal,
): Promise<number | undefined> {
	let offset: number | undefined;
	for (let page = 0; page < MAX_PAGES_TO_SKIP && !signal.aborted; page++) {
		const answer = await fetchEvents(context, reader.connection, offset, signal);
		if (answer.nextOffset !== undefined && (offset === undefined || answer.nextOffset > offset)) {
			offset = answer.nextOffset;
		} else break;
		if (!answer.hasMore) break;
		await waitUnlessStopped(MIN_PAGE_GAP_MS, signal);
	}
	return offset;
}

/** Emits one item and resolves when n8n has finished the execution it started (success or not). */
async function emitAndWait(context: ITriggerFunctions, event: RawEvent, reader: Reader): Promise<void> {
	const item = matchingItem(event, reader);
	if (!item) return;
	const done = context.helpers.createDeferredPromise<IRun>();
	context.emit([[{ json: item }]], undefined, done);
	// A failed execution is finished too: it shows in n8n's executions list, where it can be retried.
	await done.promise.then(
		() => undefined,
		() => undefined,
	);
}

function describeFailure(error: unknown): string {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return [error.message, error.description].filter(Boolean).join(': ');
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * The active trigger: claims the user's event queue in this process, subscribes, and runs the
 * listening loop until n8n calls the close function. Activation fails (with the reason) when the
 * parameters, the credential or the subscription fail, or another trigger reads the same user.
 */
export async function listenInProduction(context: ITriggerFunctions): Promise<ITriggerResponse> {
	const reader = await openReader(context);
	const workflow = context.getWorkflow();
	const node = context.getNode();
	const abort = new AbortController();
	let loop: Promise<void> = Promise.resolve();
	const stop = async () => {
		abort.abort();
		await loop;
	};
	const claim = claimQueue(
		reader.queue,
		{ key: `${workflow.id ?? ''}:${node.id}`, workflowName: workflow.name ?? '', nodeName: node.name },
		stop,
	);
	if ('heldBy' in claim) {
		throw new NodeOperationError(
			node,
			`Another active Bitrix24 Trigger already reads the events of Bitrix24 user ${reader.ownUserId}`,
			{
				description:
					`"${claim.heldBy.nodeName}" in workflow "${claim.heldBy.workflowName}" reads this user's events, and Bitrix24 gives each user's events ` +
					'to one reader only: two triggers would take events from each other. Deactivate the other workflow, or give this one a webhook ' +
					'(or OAuth connection) of another Bitrix24 user.',
			},
		);
	}

	let listening = false;
	try {
		// Activated again before the previous activation was closed: it confirms what it finished first.
		await claim.previousStopped;
		await subscribe(context, reader.connection, abort.signal);
		const activation = context.getActivationMode();
		// A restart ('init') or a save of an active workflow ('update') resumes at the oldest
		// unconfirmed event: what arrived while n8n was down is delivered.
		const startOffset = ['activate', 'create'].includes(activation)
			? await skipBacklog(context, reader, abort.signal)
			: undefined;

		let subscribedAt = Date.now();
		let reportedFailure = '';
		loop = runListeningLoop<RawEvent>({
			feed: userEventFeed(context, reader.connection, abort.signal),
			deliver: async (event) => await emitAndWait(context, event, reader),
			idleWaitMs: reader.settings.checkEveryMs,
			startOffset,
			signal: abort.signal,
			beforeRead: async () => {
				if (Date.now() - subscribedAt < RENEW_SUBSCRIPTION_EVERY_MS) return;
				await subscribe(context, reader.connection, abort.signal);
				subscribedAt = Date.now();
			},
			onReadFailure: (error, failuresInARow) => {
				const reason = describeFailure(error);
				// Once per streak of the same failure: a portal down for an hour is one line.
				if (failuresInARow > 1 && reason === reportedFailure) return;
				reportedFailure = reason;
				context.logger.warn(
					`Bitrix24 Trigger "${node.name}" could not read the events of Bitrix24 user ${reader.ownUserId}; it keeps trying: ${reason}`,
				);
			},
			onConfirmFailure: (error) => {
				context.logger.warn(
					`Bitrix24 Trigger "${node.name}" stopped without confirming its last finished events; they come again: ${describeFailure(error)}`,
				);
			},
		}).catch((error: unknown) => {
			context.logger.error(`Bitrix24 Trigger "${node.name}" stopped listening: ${describeFailure(error)}`);
		});
		listening = true;
	} finally {
		// Subscribing failed (credential, scope, portal): the activation fails with the reason, and
		// the queue is free for the next attempt.
		if (!listening) {
			abort.abort();
			claim.release();
		}
	}

	return {
		// Deactivation, a save or a shutdown: stop reading, give running executions a few seconds,
		// confirm what finished, then free the queue for the next activation.
		closeFunction: async () => {
			await stop();
			claim.release();
		},
	};
}
