import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, IRun, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { waitUnlessStopped } from '../../Bitrix24/transport';
import type { EventFeed } from './eventFeed';
import { MIN_PAGE_GAP_MS, runListeningLoop } from './listeningLoop';
import { claimQueue } from './queueOwners';
import type { QueueOwner } from './queueOwners';

/** Skipping the backlog when a person switches the workflow on reads at most this many pages. */
const MAX_PAGES_TO_SKIP = 100;

/** A failure as one line for the log: message and description, never a request's body. */
function describeFailure(error: unknown): string {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		return [error.message, error.description].filter(Boolean).join(': ');
	}
	return error instanceof Error ? error.message : String(error);
}

/**
 * Switched on by a person: history from before is not replayed. The position after the skipped
 * backlog is returned, not confirmed: the loop's first read confirms it.
 */
async function skipBacklog<E>(feed: EventFeed<E>, signal: AbortSignal): Promise<number | undefined> {
	let offset: number | undefined;
	for (let page = 0; page < MAX_PAGES_TO_SKIP && !signal.aborted; page++) {
		const answer = await feed.read(offset);
		if (answer.nextOffset !== undefined && (offset === undefined || answer.nextOffset > offset)) {
			offset = answer.nextOffset;
		} else break;
		if (!answer.hasMore) break;
		await waitUnlessStopped(MIN_PAGE_GAP_MS, signal);
	}
	return offset;
}

/** Emits one item and resolves when n8n has finished the execution it started (success or not). */
async function emitAndWait(context: ITriggerFunctions, item: IDataObject): Promise<void> {
	const done = context.helpers.createDeferredPromise<IRun>();
	context.emit([[{ json: item }]], undefined, done);
	// A failed execution is finished too: it shows in n8n's executions list, where it can be retried.
	await done.promise.then(
		() => undefined,
		() => undefined,
	);
}

/**
 * One listening trigger's event queue, opened by the trigger (parameters read and checked,
 * credential resolved) before any request for events: what both the active listener and
 * "Listen for test event" need.
 */
export interface ListeningQueue<E> {
	/** One Bitrix24 event queue (portal and user, portal and bot): one reader per process. */
	queue: string;
	/** How the trigger names itself and its queue in errors and logs: `Bitrix24 Trigger "X"`, `the events of …`. */
	triggerLabel: string;
	queueLabel: string;
	/** The error a second trigger on the same queue fails with. */
	busyError(heldBy: QueueOwner): NodeOperationError;
	/**
	 * Prepares the queue (subscribe, register a bot…) and returns its feed. Active, it runs once the
	 * queue is claimed, and a throw fails the activation with its reason and frees the queue.
	 */
	start(signal: AbortSignal): Promise<EventFeed<E>>;
	/** The item to emit for an event, or undefined when the filters skip it. */
	itemOf(event: E): IDataObject | undefined;
	/** The wait after a read that brought nothing new ("Check Every"). */
	idleWaitMs: number;
	/** Active only: runs before every read (renewing a subscription). */
	beforeRead?(signal: AbortSignal): Promise<void>;
	/** "Listen for test event" only: the error after TEST_EVENT_LIMIT_MS without a matching event. */
	testTimeoutError(): NodeOperationError;
}

/**
 * The error a second trigger on a queue another trigger holds fails with: who holds it, why only
 * one may, and what to do instead.
 */
export function queueTakenError(
	node: INode,
	heldBy: QueueOwner,
	texts: { message: string; whoseEvents: string; eachQueue: string; remedy: string },
): NodeOperationError {
	return new NodeOperationError(node, texts.message, {
		description:
			`"${heldBy.nodeName}" in workflow "${heldBy.workflowName}" reads ${texts.whoseEvents}, and Bitrix24 gives ${texts.eachQueue} ` +
			`to one reader only: two triggers would take events from each other. Deactivate the other workflow, or ${texts.remedy}`,
	});
}

/** A listening trigger's trigger(): one test event in the editor, the listening loop when active. */
export async function listen<E>(context: ITriggerFunctions, queue: ListeningQueue<E>): Promise<ITriggerResponse> {
	return context.getMode() === 'manual'
		? listenForOneTestEvent(context, queue)
		: await listenExclusively(context, queue);
}

/**
 * The active side of a listening trigger: claims the queue in this process, starts, skips the
 * backlog when a person switched the workflow on, and runs the shared listening loop until n8n
 * calls the close function. A restart ('init') or a save of an active workflow ('update') resumes
 * at the oldest unconfirmed event: what arrived while n8n was down is delivered.
 */
async function listenExclusively<E>(context: ITriggerFunctions, options: ListeningQueue<E>): Promise<ITriggerResponse> {
	const workflow = context.getWorkflow();
	const node = context.getNode();
	const abort = new AbortController();
	let loop: Promise<void> = Promise.resolve();
	const stop = async () => {
		abort.abort();
		await loop;
	};
	const claim = claimQueue(
		options.queue,
		{ key: `${workflow.id ?? ''}:${node.id}`, workflowName: workflow.name ?? '', nodeName: node.name },
		stop,
	);
	if ('heldBy' in claim) throw options.busyError(claim.heldBy);

	let listening = false;
	try {
		// Activated again before the previous activation was closed: it confirms what it finished first.
		await claim.previousStopped;
		const feed = await options.start(abort.signal);
		const startOffset = ['activate', 'create'].includes(context.getActivationMode())
			? await skipBacklog(feed, abort.signal)
			: undefined;

		let reportedFailure = '';
		loop = runListeningLoop<E>({
			feed,
			deliver: async (event) => {
				const item = options.itemOf(event);
				if (item) await emitAndWait(context, item);
			},
			idleWaitMs: options.idleWaitMs,
			startOffset,
			signal: abort.signal,
			beforeRead: options.beforeRead ? async () => await options.beforeRead?.(abort.signal) : undefined,
			onReadFailure: (error, failuresInARow) => {
				const reason = describeFailure(error);
				// Once per streak of the same failure: a portal down for an hour is one line.
				if (failuresInARow > 1 && reason === reportedFailure) return;
				reportedFailure = reason;
				context.logger.warn(`${options.triggerLabel} could not read ${options.queueLabel}; it keeps trying: ${reason}`);
			},
			onConfirmFailure: (error) => {
				context.logger.warn(
					`${options.triggerLabel} stopped without confirming its last finished events; they come again: ${describeFailure(error)}`,
				);
			},
		}).catch((error: unknown) => {
			context.logger.error(`${options.triggerLabel} stopped listening: ${describeFailure(error)}`);
		});
		listening = true;
	} finally {
		// Starting failed (credential, scope, portal): the activation fails with the reason, and
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

/** "Listen for test event" gives up after this long. */
export const TEST_EVENT_LIMIT_MS = 5 * 60 * 1000;

/**
 * Waits for the next matching event, reading without an offset: Bitrix24 returns the oldest
 * unconfirmed events and confirms none of them, so an active workflow on the same queue still
 * gets every event. Events already waiting when the listening started are not "next" and are skipped.
 */
async function waitForTestEvent<E>(
	context: ITriggerFunctions,
	options: ListeningQueue<E>,
	signal: AbortSignal,
): Promise<void> {
	const feed = await options.start(signal);
	const waiting = new Set<unknown>();
	for (const event of (await feed.read(undefined)).events) waiting.add(feed.eventIdOf(event));
	const giveUpAt = Date.now() + TEST_EVENT_LIMIT_MS;
	while (Date.now() < giveUpAt) {
		if (!(await waitUnlessStopped(MIN_PAGE_GAP_MS, signal))) return;
		const page = await feed.read(undefined);
		if (signal.aborted) return;
		for (const event of page.events) {
			const eventId = feed.eventIdOf(event);
			if (waiting.has(eventId)) continue;
			waiting.add(eventId);
			const item = options.itemOf(event);
			if (item) {
				// n8n sets its own emit once trigger() has returned: look it up only now.
				context.emit([[{ json: item }]]);
				return;
			}
		}
	}
	throw options.testTimeoutError();
}

/** The editor's "Listen for test event": one matching event, nothing confirmed. */
function listenForOneTestEvent<E>(context: ITriggerFunctions, options: ListeningQueue<E>): ITriggerResponse {
	const abort = new AbortController();
	return {
		closeFunction: async () => abort.abort(),
		manualTriggerFunction: async () => {
			void waitForTestEvent(context, options, abort.signal).catch((error: unknown) => {
				if (!abort.signal.aborted) context.emitError(error instanceof Error ? error : new Error(String(error)));
			});
		},
	};
}
