import type { IDataObject } from 'n8n-workflow';

/**
 * What the trigger keeps between polls, in the workflow's static data (node scope):
 * the event queue it reads, the offset to pass next (which confirms everything delivered before
 * it) and when it last (re)subscribed.
 */
export interface PollState {
	/** Portal and user: an offset means nothing on another user's queue. */
	queue: string;
	/** 0 until Bitrix24 has handed out a first nextOffset. */
	offset: number;
	subscribedAt: number;
}

export function readPollState(staticData: IDataObject, queue: string): PollState | undefined {
	if (staticData.queue !== queue) return undefined;
	const offset = Number(staticData.offset);
	const subscribedAt = Number(staticData.subscribedAt);
	return {
		queue,
		offset: Number.isInteger(offset) && offset > 0 ? offset : 0,
		subscribedAt: Number.isFinite(subscribedAt) ? subscribedAt : 0,
	};
}

export function writePollState(staticData: IDataObject, state: PollState): void {
	staticData.queue = state.queue;
	staticData.offset = state.offset;
	staticData.subscribedAt = state.subscribedAt;
}

/** Offsets only move forward: an answer without one (or an older one) keeps the current offset. */
export function advancedOffset(current: number, next: number | undefined): number {
	return next !== undefined && next > current ? next : current;
}
