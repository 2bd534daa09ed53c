/** Bitrix24's request-rate limit: a leaky bucket per portal, +1 per HTTP request. */
export class LeakyBucket {
	private level = 0;
	private updatedAtMs = Date.now();

	constructor(
		private readonly capacity: number,
		private readonly drainPerSecond: number,
	) {}

	/** Adds one request; false (and nothing added) when the bucket is full, as the portal refuses it. */
	tryAdd(nowMs = Date.now()): boolean {
		const drained = ((nowMs - this.updatedAtMs) / 1000) * this.drainPerSecond;
		this.level = Math.max(0, this.level - drained);
		this.updatedAtMs = nowMs;
		if (this.level + 1 > this.capacity) return false;
		this.level += 1;
		return true;
	}

	reset(): void {
		this.level = 0;
		this.updatedAtMs = Date.now();
	}
}
