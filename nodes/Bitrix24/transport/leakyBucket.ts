/**
 * Client-side copy of Bitrix24's request-rate bucket, so we wait instead of collecting 503s.
 *
 * The server keeps one leaky bucket per portal (and source IP): every HTTP request adds 1,
 * it drains `drainPerSecond` units per second, and a request that would take it over
 * `capacity` is refused with 503 QUERY_LIMIT_EXCEEDED. The client mirrors that bucket as a
 * single number, the "theoretical arrival time" of the generic cell rate algorithm: the
 * moment the mirrored bucket would be empty again if nothing more were sent. That makes a
 * reservation O(1) and lets concurrent callers (one JS thread) get staggered slots, because
 * each reservation moves the time for the next one.
 */

export interface RateLimits {
	capacity: number;
	drainPerSecond: number;
}

export const RATE_PLANS = {
	standard: { capacity: 50, drainPerSecond: 2 },
	enterprise: { capacity: 250, drainPerSecond: 5 },
} as const satisfies Record<string, RateLimits>;

/**
 * How much later than "exactly at capacity" a request is sent, in time, not capacity: from an
 * empty bucket, capacity - 1 requests go at once and the last of the burst this much later.
 * Why it is needed: the server drains nothing while its bucket is empty, so if the requests of
 * a burst reach it later than the ones after them (every burst request opens a TLS connection,
 * paced ones reuse them; a busy event loop; timers firing early), the drain we counted for that
 * gap never happened and the next requests would land just over the cap. With a margin of m ms
 * every request keeps m x drainPerSecond / 1000 units of headroom (0.5 units at 2/s), which
 * absorbs up to m ms of such relative lateness.
 * It costs m once per busy period, not per request: slots are computed from the bucket, not
 * from the previous slot, so paced slots stay exactly one drain interval apart (75.25 s instead
 * of 75 s for 200 requests on the standard plan).
 */
export const BUCKET_SAFETY_MARGIN_MS = 250;

export class LeakyBucket {
	private limits: RateLimits;

	private drainIntervalMs: number;

	// When the mirrored bucket, including every slot already handed out, would be empty.
	private emptyAtMs: number;

	private lastNowMs: number;

	constructor(
		limits: RateLimits,
		private readonly now: () => number = Date.now,
		private readonly safetyMarginMs: number = BUCKET_SAFETY_MARGIN_MS,
	) {
		assertValidLimits(limits);
		this.limits = { ...limits };
		this.drainIntervalMs = 1000 / limits.drainPerSecond;
		this.lastNowMs = now();
		this.emptyAtMs = this.lastNowMs;
	}

	/**
	 * Reserves one request slot and returns how many ms the caller must wait before sending.
	 * Every call reserves a slot, so call it exactly once per HTTP request.
	 */
	reserve(): number {
		return this.reserveWithin(Number.POSITIVE_INFINITY) as number;
	}

	/**
	 * Like `reserve`, but only when the wait is at most `maxWaitMs`; otherwise reserves nothing
	 * and returns undefined (the caller will not send).
	 */
	reserveWithin(maxWaitMs: number): number | undefined {
		const nowMs = this.monotonicNow();
		const sendAtMs = this.nextSlotAtMs(nowMs);
		const waitMs = Math.ceil(sendAtMs - nowMs);
		if (waitMs > maxWaitMs) return undefined;
		this.emptyAtMs = Math.max(this.emptyAtMs, sendAtMs) + this.drainIntervalMs;
		return waitMs;
	}

	/** How many ms the next request would have to wait, without reserving its slot. */
	nextSlotInMs(): number {
		const nowMs = this.monotonicNow();
		return Math.ceil(this.nextSlotAtMs(nowMs) - nowMs);
	}

	/** After a 503 QUERY_LIMIT_EXCEEDED: the server bucket is full now, whatever we counted. */
	penalize(): void {
		const nowMs = this.monotonicNow();
		this.emptyAtMs = Math.max(this.emptyAtMs, nowMs + this.limits.capacity * this.drainIntervalMs);
	}

	/** Switches to other limits (the plan changed), keeping the current fill level. */
	updateLimits(limits: RateLimits): void {
		assertValidLimits(limits);
		if (limits.capacity === this.limits.capacity && limits.drainPerSecond === this.limits.drainPerSecond) return;
		const nowMs = this.monotonicNow();
		const level = Math.max(0, this.emptyAtMs - nowMs) / this.drainIntervalMs;
		this.limits = { ...limits };
		this.drainIntervalMs = 1000 / limits.drainPerSecond;
		this.emptyAtMs = nowMs + level * this.drainIntervalMs;
	}

	private nextSlotAtMs(nowMs: number): number {
		// Earliest moment at which one more unit keeps the bucket at or under capacity, plus the
		// margin, so that every request (the last of a burst too) keeps the same headroom.
		const earliestMs = this.emptyAtMs - (this.limits.capacity - 1) * this.drainIntervalMs;
		return Math.max(nowMs, earliestMs + this.safetyMarginMs);
	}

	// A wall clock set backwards would otherwise freeze the bucket until it caught up again.
	private monotonicNow(): number {
		const nowMs = this.now();
		if (nowMs < this.lastNowMs) this.emptyAtMs -= this.lastNowMs - nowMs;
		this.lastNowMs = nowMs;
		return nowMs;
	}
}

function assertValidLimits(limits: RateLimits): void {
	if (!(Number.isFinite(limits.capacity) && limits.capacity >= 1)) {
		throw new RangeError(`Bucket capacity must be a number >= 1, got ${limits.capacity}`);
	}
	if (!(Number.isFinite(limits.drainPerSecond) && limits.drainPerSecond > 0)) {
		throw new RangeError(`Bucket drain rate must be a positive number, got ${limits.drainPerSecond}`);
	}
}
