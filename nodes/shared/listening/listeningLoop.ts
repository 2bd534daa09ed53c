import { waitUnlessStopped } from '../../Bitrix24/transport';
import { DeliveryLedger } from './deliveryLedger';
import { DialogLanes } from './dialogLanes';
import type { EventFeed } from './eventFeed';

/** Bitrix24 asks for at least 2 s between two reads of the same queue. */
export const MIN_PAGE_GAP_MS = 2000;
/**
 * On a graceful stop, wait this long for running executions to finish, so what they finished is
 * confirmed now instead of coming again after the restart.
 */
export const DRAIN_ON_STOP_MS = 10_000;
/** Executions running at once for one trigger, over all dialogs. */
export const MAX_PARALLEL_DELIVERIES = 10;

export interface ListeningLoopOptions<E> {
	feed: EventFeed<E>;
	/**
	 * Hands one event to the workflow and resolves when its execution has finished (at once for an
	 * event the filters skip). Its event is confirmed only after that.
	 */
	deliver(event: E): Promise<void>;
	/** The wait after a read that brought nothing new. */
	idleWaitMs: number;
	/** The wait after a read that brought new events (the next page, or the rest of a conversation). */
	pageGapMs?: number;
	maxParallel?: number;
	/** Where to start: an offset already safe to confirm (a skipped backlog), or none. */
	startOffset?: number;
	/** Aborted by the trigger's close function: ends every wait at once. */
	signal: AbortSignal;
	/** Runs before every read (renewing a subscription); a throw counts as a failed read. */
	beforeRead?(): Promise<void>;
	/** A failed read, `failuresInARow` counting this one; the loop waits and reads again. */
	onReadFailure(error: unknown, failuresInARow: number): void;
	/** The final confirmation after a stop failed: those events come again to the next reader. */
	onConfirmFailure?(error: unknown): void;
	drainOnStopMs?: number;
}

/** After failures in a row, wait longer (up to a minute) before the next read. */
function waitAfterFailureMs(idleWaitMs: number, failuresInARow: number): number {
	return Math.min(60_000, idleWaitMs * 2 ** Math.min(failuresInARow - 1, 6));
}

/**
 * The listening loop shared by the triggers that read a Bitrix24 event queue: read a page, hand
 * each new event to the workflow (one execution per event, in order within a dialog), and confirm
 * with the next read only the events whose executions have all finished.
 *
 * - Nothing is kept outside Bitrix24: unconfirmed events are the state. After a crash or a restart
 *   the first read, without an offset, returns the oldest unconfirmed event again.
 * - An event this loop already took (read again because an older one still runs) is dropped.
 * - A read that brings nothing new ends the paging: an answer that says `hasMore` but does not
 *   move on is not read again and again.
 *
 * Once `signal` is aborted it starts nothing new, waits a little for running executions, confirms
 * what finished, and resolves. What was not finished by then stays unconfirmed and comes again.
 */
export async function runListeningLoop<E>(options: ListeningLoopOptions<E>): Promise<void> {
	const { feed, signal } = options;
	const ledger = new DeliveryLedger(options.startOffset);
	const lanes = new DialogLanes<{ event: E; eventId?: number }>(async ({ event, eventId }) => {
		try {
			await options.deliver(event);
		} finally {
			if (eventId !== undefined) ledger.finish(eventId);
		}
	}, options.maxParallel ?? MAX_PARALLEL_DELIVERIES);
	const pageGapMs = Math.max(MIN_PAGE_GAP_MS, options.pageGapMs ?? MIN_PAGE_GAP_MS);
	let failuresInARow = 0;
	let passedOffset: number | undefined;

	try {
		while (!signal.aborted) {
			const offset = ledger.offsetToConfirm();
			let page;
			try {
				await options.beforeRead?.();
				if (signal.aborted) break;
				page = await feed.read(offset);
				failuresInARow = 0;
			} catch (error) {
				if (signal.aborted) break;
				failuresInARow++;
				options.onReadFailure(error, failuresInARow);
				await waitUnlessStopped(waitAfterFailureMs(options.idleWaitMs, failuresInARow), signal);
				continue;
			}
			// Closed while reading: these events stay unconfirmed and come again to the next reader.
			if (signal.aborted) break;
			passedOffset = offset;
			ledger.confirmed(offset);
			ledger.noteNextOffset(page.nextOffset);

			let fresh = 0;
			for (const event of page.events) {
				const eventId = feed.eventIdOf(event);
				if (eventId !== undefined) {
					// Below the offset just passed: already confirmed, so already finished here.
					if (offset !== undefined && eventId < offset) continue;
					if (!ledger.take(eventId)) continue;
				}
				fresh++;
				lanes.add(feed.dialogKeyOf(event), { event, eventId });
			}
			await waitUnlessStopped(fresh > 0 ? pageGapMs : Math.max(pageGapMs, options.idleWaitMs), signal);
		}
	} finally {
		lanes.stop();
	}
	await confirmWhatFinished(options, lanes, ledger, passedOffset);
}

async function confirmWhatFinished<E, T>(
	options: ListeningLoopOptions<E>,
	lanes: DialogLanes<T>,
	ledger: DeliveryLedger,
	passedOffset: number | undefined,
): Promise<void> {
	const drainLimit = new AbortController();
	await Promise.race([lanes.idle(), waitUnlessStopped(options.drainOnStopMs ?? DRAIN_ON_STOP_MS, drainLimit.signal)]);
	drainLimit.abort();
	const offset = ledger.offsetToConfirm();
	if (offset === undefined || (passedOffset !== undefined && offset <= passedOffset)) return;
	try {
		await options.feed.confirm(offset);
	} catch (error) {
		options.onConfirmFailure?.(error);
	}
}
