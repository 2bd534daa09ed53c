import type { IDataObject, IPollFunctions } from 'n8n-workflow';

import { callMethod } from '../Bitrix24/transport/call';
import type { Bitrix24Connection } from '../Bitrix24/transport/connection';
import { failureToNodeApiError } from '../Bitrix24/transport/errors';
import type { Bitrix24Failure } from '../Bitrix24/transport/errors';
import type { RawEvent } from './eventItem';
import { objectOf, objectsIn } from '../Bitrix24/shared/jsonValue';

/** im.v2.Event.get accepts 1–1000 events per call: fewer calls for a backlog. */
export const EVENTS_PER_PAGE = 1000;

export interface EventPage {
	events: RawEvent[];
	/** Undefined when Bitrix24 did not send a usable one. */
	nextOffset?: number;
	hasMore: boolean;
}

async function call(
	context: IPollFunctions,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
): Promise<unknown> {
	// The same pacing, retries and error texts as the Bitrix24 node: one transport for both.
	const outcome = await callMethod(context, connection, method, params);
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	return outcome.body.result;
}

export type PageOutcome = { ok: true; page: EventPage } | { ok: false; failure: Bitrix24Failure };

/** Starts (or keeps) recording the user's events. Idempotent on Bitrix24's side. */
export async function subscribe(context: IPollFunctions, connection: Bitrix24Connection): Promise<void> {
	await call(context, connection, 'im.v2.Event.subscribe', {});
}

/**
 * One page of events. Passing `offset` confirms, for every reader of this user, every event
 * below it: only pass an offset whose events were already handed to a workflow (or skipped).
 */
export async function fetchEvents(
	context: IPollFunctions,
	connection: Bitrix24Connection,
	offset: number | undefined,
	limit = EVENTS_PER_PAGE,
): Promise<EventPage> {
	const outcome = await tryFetchEvents(context, connection, offset, limit);
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	return outcome.page;
}

/** fetchEvents, with a failure returned instead of thrown (the caller may still emit what it has). */
export async function tryFetchEvents(
	context: IPollFunctions,
	connection: Bitrix24Connection,
	offset: number | undefined,
	limit = EVENTS_PER_PAGE,
): Promise<PageOutcome> {
	const params: IDataObject = { limit };
	if (offset !== undefined && offset > 0) params.offset = offset;
	const outcome = await callMethod(context, connection, 'im.v2.Event.get', params);
	if (!outcome.ok) return outcome;
	const result = objectOf(outcome.body.result);
	const events: RawEvent[] = objectsIn(result.events);
	const nextOffset = Number(result.nextOffset);
	return {
		ok: true,
		page: {
			events,
			nextOffset: Number.isInteger(nextOffset) && nextOffset > 0 ? nextOffset : undefined,
			hasMore: result?.hasMore === true && events.length > 0,
		},
	};
}
