/**
 * Which events the listening loop has taken and which of them are finished, and from that the one
 * number that matters: the offset it may pass to confirm events. It never passes an offset above
 * an event whose execution has not finished, so a crash or a restart at any moment makes
 * unfinished events come again instead of losing them.
 */
export class DeliveryLedger {
	/** Taken (emitted, or waiting for their dialog's previous event) and not finished yet. */
	private readonly unfinished = new Set<number>();
	/** Every event ID this loop has taken and not yet seen confirmed: a second copy is dropped. */
	private readonly taken = new Set<number>();
	private furthestNextOffset: number | undefined;

	/** @param startOffset an offset already known to be safe to confirm (after skipping a backlog) */
	constructor(startOffset?: number) {
		this.furthestNextOffset = startOffset;
	}

	/** Takes the event unless this loop already took it; false for a copy. */
	take(eventId: number): boolean {
		if (this.taken.has(eventId)) return false;
		this.taken.add(eventId);
		this.unfinished.add(eventId);
		return true;
	}

	finish(eventId: number): void {
		this.unfinished.delete(eventId);
	}

	noteNextOffset(nextOffset: number | undefined): void {
		if (nextOffset === undefined) return;
		if (this.furthestNextOffset === undefined || nextOffset > this.furthestNextOffset) {
			this.furthestNextOffset = nextOffset;
		}
	}

	/**
	 * The offset for the next read: the oldest unfinished event (everything below it is finished),
	 * or past everything read when all is finished. Undefined until the source gave an offset.
	 */
	offsetToConfirm(): number | undefined {
		let oldest: number | undefined;
		for (const eventId of this.unfinished) if (oldest === undefined || eventId < oldest) oldest = eventId;
		if (oldest === undefined) return this.furthestNextOffset;
		return this.furthestNextOffset === undefined ? oldest : Math.min(oldest, this.furthestNextOffset);
	}

	/** After `offset` was passed, the source never returns events below it: forget their IDs. */
	confirmed(offset: number | undefined): void {
		if (offset === undefined) return;
		for (const eventId of this.taken) if (eventId < offset && !this.unfinished.has(eventId)) this.taken.delete(eventId);
	}

	get unfinishedCount(): number {
		return this.unfinished.size;
	}
}
