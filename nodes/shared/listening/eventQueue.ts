import type { IDataObject } from 'n8n-workflow';

import { callMethod, failureToNodeApiError } from '../../Bitrix24/transport';
import type { Bitrix24Connection, Bitrix24Context, CallSettings } from '../../Bitrix24/transport';
import { objectOf, objectsIn } from '../../Bitrix24/shared/jsonValue';
import type { EventFeed, FeedPage } from './eventFeed';

/**
 * A Bitrix24 event queue read the Chats 2.0 way: im.v2.Event.get (a user's events) and
 * imbot.v2.Event.get (a bot's events) both take `offset` and `limit` and answer
 * `{events, nextOffset, hasMore}`; passing `offset` confirms, for every reader, every event below it.
 */

/** One element of an event queue's `events`. */
export interface RawEvent {
	eventId?: unknown;
	type?: unknown;
	date?: unknown;
	data?: unknown;
}

/** Both queues accept 1–1000 events per call: fewer calls for a backlog. */
const EVENTS_PER_PAGE = 1000;

/**
 * A read or a subscription is answered in well under a second; a request hanging longer is cut
 * off and the loop tries again, instead of the trigger hanging with it.
 */
const REQUEST_TIME_LIMIT_MS = 30_000;
/** Waits after refusals (rate limit, method time limit) end here: the loop reads again later. */
const MAX_RETRY_WAIT_MS = 60_000;

function callSettings(signal: AbortSignal | undefined): CallSettings {
	// Reading with the same offset twice, or subscribing twice, does no harm: both may be resent.
	return {
		ratePlan: 'standard',
		maxRetryWaitMs: MAX_RETRY_WAIT_MS,
		timeoutMs: REQUEST_TIME_LIMIT_MS,
		idempotent: true,
		signal,
	};
}

/**
 * One call about an event queue (a read, a subscription), resent freely. The same pacing (one
 * bucket per portal, the bots' own bucket for bot calls), retries and error texts as the Bitrix24 node.
 */
export async function callEventQueue(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	signal: AbortSignal | undefined,
): Promise<unknown> {
	const outcome = await callMethod(context, connection, method, params, callSettings(signal));
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	return outcome.body.result;
}

/** Which queue to read: the method, and what names the queue besides the offset (a bot's `botId`). */
export interface EventQueue {
	method: string;
	params: IDataObject;
}

/**
 * One page of events. Passing `offset` confirms, for every reader of this queue, every event
 * below it: only pass an offset whose events were finished with.
 */
async function readEventPage(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	queue: EventQueue,
	offset: number | undefined,
	signal: AbortSignal | undefined,
	limit = EVENTS_PER_PAGE,
): Promise<FeedPage<RawEvent>> {
	const params: IDataObject = { ...queue.params, limit };
	if (offset !== undefined && offset > 0) params.offset = offset;
	const result = objectOf(await callEventQueue(context, connection, queue.method, params, signal));
	const events: RawEvent[] = objectsIn(result.events);
	const nextOffset = Number(result.nextOffset);
	return {
		events,
		nextOffset: Number.isInteger(nextOffset) && nextOffset > 0 ? nextOffset : undefined,
		hasMore: result.hasMore === true && events.length > 0,
	};
}

function numberOf(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * The chat an event belongs to, for keeping a conversation in order. Both people of a private
 * chat see the same chat ID, so it is a better key than the dialog ID (which depends on who looks).
 */
function chatKeyOf(event: RawEvent): string {
	const data = objectOf(event.data);
	const chatId = numberOf(objectOf(data.chat).id) ?? numberOf(objectOf(data.message).chatId);
	if (chatId !== undefined) return `chat:${chatId}`;
	const dialogId = data.dialogId;
	return typeof dialogId === 'string' || typeof dialogId === 'number' ? `dialog:${dialogId}` : 'unknown';
}

/** An event queue as the listening loop reads it. */
export function eventQueueFeed(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	queue: EventQueue,
	signal: AbortSignal,
): EventFeed<RawEvent> {
	return {
		read: async (offset) => await readEventPage(context, connection, queue, offset, signal),
		// After the stop: no signal (it is aborted), one event asked for, and that one not delivered.
		confirm: async (offset) => {
			await readEventPage(context, connection, queue, offset, undefined, 1);
		},
		eventIdOf: (event) => numberOf(event.eventId),
		dialogKeyOf: chatKeyOf,
	};
}
