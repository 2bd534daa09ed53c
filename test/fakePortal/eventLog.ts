/**
 * The per-user messenger event log behind im.v2.Event.subscribe / get / unsubscribe, as the
 * Bitrix24 docs describe it (api-reference/chat-bots/chat-bots-v2/im.v2/events/):
 * - nothing is recorded for a user until they subscribe; events from before are never added;
 * - `get` returns the oldest unconfirmed records; `offset` confirms (deletes) every record below
 *   it, for every reader of that user: one user's events have only one consumer;
 * - records live 24 hours, and a subscription nobody reads for 24 hours lapses.
 * The clock is injectable so tests can cross the 24-hour marks without waiting.
 */

export const EVENT_RETENTION_MS = 24 * 60 * 60 * 1000;
export const MAX_EVENTS_PER_GET = 1000;
export const DEFAULT_EVENTS_PER_GET = 100;
/** The documented example starts here; any positive start works. */
export const FIRST_EVENT_ID = 2001;

export interface LoggedEvent {
	eventId: number;
	type: string;
	/** ISO 8601 with offset, no milliseconds, as Bitrix24 prints dates. */
	date: string;
	data: Record<string, unknown>;
	recordedAtMs: number;
}

export interface EventPage {
	events: Array<Omit<LoggedEvent, 'recordedAtMs'>>;
	nextOffset: number;
	hasMore: boolean;
}

interface UserStream {
	subscribed: boolean;
	/** Last subscribe or get: what keeps a subscription alive. */
	lastActivityMs: number;
	events: LoggedEvent[];
}

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export class EventLog {
	private readonly streams = new Map<number, UserStream>();
	private nextEventId = FIRST_EVENT_ID;
	private clockOffsetMs = 0;

	constructor(private readonly baseClock: () => number = Date.now) {}

	now(): number {
		return this.baseClock() + this.clockOffsetMs;
	}

	/** Moves the log's clock forward (expiry tests). */
	advanceClock(ms: number): void {
		this.clockOffsetMs += ms;
	}

	subscribe(userId: number): void {
		const stream = this.stream(userId);
		stream.subscribed = true;
		stream.lastActivityMs = this.now();
	}

	unsubscribe(userId: number): void {
		this.stream(userId).subscribed = false;
	}

	isSubscribed(userId: number): boolean {
		return this.stream(userId).subscribed;
	}

	/** Records one event for each of `userIds` that is subscribed; each record gets its own id. */
	record(userIds: Iterable<number>, type: string, data: Record<string, unknown>): void {
		const now = this.now();
		for (const userId of new Set(userIds)) {
			const stream = this.stream(userId);
			if (!stream.subscribed) continue;
			stream.events.push({
				eventId: this.nextEventId++,
				type,
				date: isoSeconds(now),
				data: structuredClone(data),
				recordedAtMs: now,
			});
		}
	}

	/** im.v2.Event.get: confirm below `offset`, then return up to `limit` of what is left. */
	get(userId: number, offset: number | undefined, limit: number): EventPage {
		const stream = this.stream(userId);
		stream.lastActivityMs = this.now();
		if (offset !== undefined && offset > 0) {
			stream.events = stream.events.filter((event) => event.eventId >= offset);
		}
		const page = stream.events.slice(0, limit);
		const last = page.at(-1);
		return {
			events: page.map(({ eventId, type, date, data }) => ({ eventId, type, date, data })),
			// With nothing to return, the offset comes back unchanged (0 without one).
			nextOffset: last ? last.eventId + 1 : (offset ?? 0),
			hasMore: stream.events.length > page.length,
		};
	}

	/** The user's unconfirmed records, oldest first (for assertions). */
	pending(userId: number): LoggedEvent[] {
		return [...this.stream(userId).events];
	}

	reset(): void {
		this.streams.clear();
		this.nextEventId = FIRST_EVENT_ID;
		this.clockOffsetMs = 0;
	}

	/** The user's stream after applying both 24-hour rules at the current time. */
	private stream(userId: number): UserStream {
		let stream = this.streams.get(userId);
		if (!stream) {
			stream = { subscribed: false, lastActivityMs: 0, events: [] };
			this.streams.set(userId, stream);
		}
		const now = this.now();
		if (stream.subscribed && now - stream.lastActivityMs > EVENT_RETENTION_MS) stream.subscribed = false;
		stream.events = stream.events.filter((event) => now - event.recordedAtMs <= EVENT_RETENTION_MS);
		return stream;
	}
}
