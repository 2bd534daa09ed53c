import type { PollState } from './pollState';

/**
 * The Bitrix24 Triggers polling in this n8n process, by the event queue they read (portal and
 * user). Bitrix24 gives each user's events to one consumer only: two readers confirm events away
 * from each other. A process-wide record is the one place where two active triggers on the same
 * user can be seen. n8n gives polling triggers no deactivation hook, so a trigger counts as
 * active while it keeps polling at its own pace.
 */

export interface ReaderIdentity {
	/** Workflow ID and node ID. */
	key: string;
	workflowName: string;
	nodeName: string;
}

export interface ReaderRecord extends ReaderIdentity {
	/** First poll of the current activation: among live readers, the newest activation reads. */
	activatedAt: number;
	lastPollAt: number;
	/** Time between its last two polls, once known. */
	intervalMs?: number;
	/**
	 * The last position this trigger saved, kept here too: a host may hand each poll a fresh copy
	 * of the static data and persist it only when a poll emits items, and a lost position after an
	 * empty poll would otherwise look like a first activation (and skip events).
	 */
	state?: PollState;
}

/** Assumed gap between polls until a reader has polled twice. */
const ASSUMED_INTERVAL_MS = 5 * 60 * 1000;
/** A reader that missed two of its polls (plus a minute of slack) is taken to be deactivated. */
const MISSED_POLLS = 2;
const SLACK_MS = 60 * 1000;

const readersByQueue = new Map<string, Map<string, ReaderRecord>>();

export function isLive(reader: ReaderRecord, now: number): boolean {
	return now - reader.lastPollAt <= MISSED_POLLS * (reader.intervalMs ?? ASSUMED_INTERVAL_MS) + SLACK_MS;
}

/** Notes a poll of `identity` on `queue`; `newActivation` restarts its activation time. */
export function recordPoll(queue: string, identity: ReaderIdentity, newActivation: boolean, now: number): ReaderRecord {
	let readers = readersByQueue.get(queue);
	if (!readers) {
		readers = new Map();
		readersByQueue.set(queue, readers);
	}
	// The same trigger moved to another queue (credential changed): it no longer reads the old one.
	for (const [otherQueue, otherReaders] of readersByQueue) {
		if (otherQueue !== queue) otherReaders.delete(identity.key);
	}
	const previous = readers.get(identity.key);
	const record: ReaderRecord = {
		...identity,
		activatedAt: previous && !newActivation ? previous.activatedAt : now,
		lastPollAt: now,
		intervalMs: previous && !newActivation ? now - previous.lastPollAt : undefined,
		state: previous?.state?.queue === queue ? previous.state : undefined,
	};
	readers.set(identity.key, record);
	return record;
}

/** Another live reader of `queue` activated after `reader`: the one that should keep reading. */
export function newerLiveReader(queue: string, reader: ReaderRecord, now: number): ReaderRecord | undefined {
	for (const other of readersByQueue.get(queue)?.values() ?? []) {
		if (other.key === reader.key || !isLive(other, now)) continue;
		const newer =
			other.activatedAt > reader.activatedAt || (other.activatedAt === reader.activatedAt && other.key > reader.key);
		if (newer) return other;
	}
	return undefined;
}

/** Other live readers of `queue`, whatever their age (for notices). */
export function otherLiveReaders(queue: string, key: string, now: number): ReaderRecord[] {
	return [...(readersByQueue.get(queue)?.values() ?? [])].filter((other) => other.key !== key && isLive(other, now));
}

/** For tests: forget every reader. */
export function forgetAllReaders(): void {
	readersByQueue.clear();
}
