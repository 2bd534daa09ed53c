import type { IDataObject } from 'n8n-workflow';

import { callMethod, failureToNodeApiError } from '../Bitrix24/transport';
import type { Bitrix24Connection, Bitrix24Context, CallSettings } from '../Bitrix24/transport';
import type { RawEvent } from './eventItem';
import { objectOf, objectsIn } from '../Bitrix24/shared/jsonValue';
import type { EventFeed, FeedPage } from '../shared/listening/eventFeed';

/** im.v2.Event.get accepts 1–1000 events per call: fewer calls for a backlog. */
export const EVENTS_PER_PAGE = 1000;

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

async function call(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	signal: AbortSignal | undefined,
): Promise<unknown> {
	// The same pacing (one bucket per portal), retries and error texts as the Bitrix24 node.
	const outcome = await callMethod(context, connection, method, params, callSettings(signal));
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	return outcome.body.result;
}

/** Starts (or keeps) recording the user's events. Idempotent, and keeps what was recorded. */
export async function subscribe(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	signal?: AbortSignal,
): Promise<void> {
	await call(context, connection, 'im.v2.Event.subscribe', {}, signal);
}

/**
 * One page of events. Passing `offset` confirms, for every reader of this user, every event
 * below it: only pass an offset whose events were finished with.
 */
export async function fetchEvents(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	offset: number | undefined,
	signal?: AbortSignal,
	limit = EVENTS_PER_PAGE,
): Promise<FeedPage<RawEvent>> {
	return await readEventPage(context, connection, 'im.v2.Event.get', {}, offset, signal, limit);
}

/**
 * One page of an event queue read the Chats 2.0 way (im.v2.Event.get, imbot.v2.Event.get): both
 * take `offset` and `limit` and answer `{events, nextOffset, hasMore}`.
 */
export async function readEventPage(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	queueParams: IDataObject,
	offset: number | undefined,
	signal: AbortSignal | undefined,
	limit = EVENTS_PER_PAGE,
): Promise<FeedPage<RawEvent>> {
	const params: IDataObject = { ...queueParams, limit };
	if (offset !== undefined && offset > 0) params.offset = offset;
	const result = objectOf(await call(context, connection, method, params, signal));
	const events: RawEvent[] = objectsIn(result.events);
	const nextOffset = Number(result.nextOffset);
	return {
		events,
		nextOffset: Number.isInteger(nextOffset) && nextOffset > 0 ? nextOffset : undefined,
		hasMore: result.hasMore === true && events.length > 0,
	};
}

export function numberOf(value: unknown): number | undefined {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : undefined;
}

/**
 * The chat an event belongs to, for keeping a conversation in order. Both people of a private
 * chat see the same chat ID, so it is a better key than the dialog ID (which depends on who looks).
 */
export function chatKeyOf(event: RawEvent): string {
	const data = objectOf(event.data);
	const chatId = numberOf(objectOf(data.chat).id) ?? numberOf(objectOf(data.message).chatId);
	if (chatId !== undefined) return `chat:${chatId}`;
	const dialogId = data.dialogId;
	return typeof dialogId === 'string' || typeof dialogId === 'number' ? `dialog:${dialogId}` : 'unknown';
}

/** The user's im.v2 event queue as the listening loop reads it. */
export function userEventFeed(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	signal: AbortSignal,
): EventFeed<RawEvent> {
	return {
		read: async (offset) => await fetchEvents(context, connection, offset, signal),
		// After the stop: no signal (it is aborted), one event asked for, and that one not delivered.
		confirm: async (offset) => {
			await fetchEvents(context, connection, offset, undefined, 1);
		},
		eventIdOf: (event) => numberOf(event.eventId),
		dialogKeyOf: chatKeyOf,
	};
}
