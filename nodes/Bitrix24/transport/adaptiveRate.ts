/**
 * Adaptive pacing: this process's share of a portal's request rate, for when other clients
 * (more n8n workers in queue mode, other apps on the same portal) spend the same server bucket.
 *
 * The client-side leaky bucket assumes this process is the portal's only client. It cannot see
 * the others; the only signal it gets is a 503 QUERY_LIMIT_EXCEEDED. So, as TCP does with lost
 * packets, a refusal cuts the rate this process allows itself (multiplicative decrease), and the
 * rate grows back a little every second while requests go through (additive increase). Processes
 * doing the same converge on sharing the portal's rate: the one taking more than its share is the
 * one most often refused, and all of them grow back at the same speed. The bucket capacity (the
 * burst) is left alone: a refusal already marks the mirrored bucket full, and a slower drain makes
 * later bursts smaller by itself.
 *
 * One AdaptiveRate per portal for the whole process, like the bucket, so all executions of the
 * process (n8n runs many at once) slow down together. A process alone on its portal is never
 * refused, so its share stays 1 and it paces exactly as without this.
 */
import type { RateLimits } from './leakyBucket';

/** A refusal cuts the share of the portal's rate this process takes to this fraction of it. */
export const RATE_DECREASE_FACTOR = 0.5;

/**
 * While requests go through, the share grows back: by this much per second right after a cut...
 */
export const RATE_RECOVERY_PER_SECOND = 0.005;

/**
 * ...and faster the longer no refusal comes: the growth per second rises by this much every
 * second since the last cut. So a process probes gently while others are likely still busy, and
 * takes over the whole rate within about half a minute when they have gone quiet: from 0.5,
 * +0.15 after 10 s, +0.5 after 20 s. Growth goes by time, not by requests, so a process sending
 * slowly recovers as fast as one sending quickly, which is what makes several processes converge
 * on equal shares. Faster growth finishes sooner when workers stop at different times, but
 * refuses more often while they all run: with W processes on one portal, refusals come about
 * W^2 times as often as with one other client.
 */
export const RATE_RECOVERY_ACCELERATION = 0.002;

/** The share never drops below this: 1/16 is 1 request per 8 s on the standard plan. */
export const MIN_RATE_SHARE = 1 / 16;

export class AdaptiveRate {
	private share = 1;

	private plan: RateLimits | undefined;

	// Requests sent before the last cut were paced at the old rate: their refusals are no news.
	private lastDecreaseAtMs = Number.NEGATIVE_INFINITY;

	private lastGrowthAtMs: number;

	// The current busy period: since this process last sent after its bucket had drained empty.
	private busySinceMs = Number.NEGATIVE_INFINITY;

	private acceptedWhileBusy = 0;

	private lastAcceptedAtMs = Number.NEGATIVE_INFINITY;

	constructor(private readonly now: () => number = Date.now) {
		this.lastGrowthAtMs = now();
	}

	/** The fraction of the portal's rate this process currently takes, in [MIN_RATE_SHARE, 1]. */
	get currentShare(): number {
		return this.share;
	}

	/** The plan's limits as this process should pace them now: the same burst, its share of the drain. */
	limitsFor(plan: RateLimits): RateLimits {
		this.plan = plan;
		return { capacity: plan.capacity, drainPerSecond: plan.drainPerSecond * this.share };
	}

	/** A request sent at `sentAtMs` was refused with QUERY_LIMIT_EXCEEDED. */
	refused(sentAtMs: number): void {
		if (sentAtMs <= this.lastDecreaseAtMs) return;
		const nowMs = this.now();
		let share = this.share * RATE_DECREASE_FACTOR;
		const measured = this.measuredShare(nowMs);
		// Several processes starting together all burst into one bucket; what each got through is
		// about its fair share, and taking it at once saves the refusals of halving step by step.
		// At most two cuts at once, though: a portal whose bucket was already partly used, or is
		// smaller than the plan says, makes the measure far too low.
		if (measured !== undefined) share = Math.min(share, Math.max(measured, share * RATE_DECREASE_FACTOR));
		this.share = Math.max(MIN_RATE_SHARE, share);
		this.lastDecreaseAtMs = nowMs;
		this.lastGrowthAtMs = nowMs;
	}

	/** A request went through: the portal took it without a rate-limit refusal. */
	accepted(): void {
		const nowMs = this.now();
		if (this.plan !== undefined && nowMs - this.lastAcceptedAtMs > drainTimeMs(this.plan)) {
			this.busySinceMs = nowMs;
			this.acceptedWhileBusy = 0;
		}
		this.acceptedWhileBusy++;
		this.lastAcceptedAtMs = nowMs;
		if (this.share < 1) this.share = Math.min(1, this.share + this.growthSince(this.lastGrowthAtMs, nowMs));
		this.lastGrowthAtMs = nowMs;
	}

	/** The integral of RATE_RECOVERY_PER_SECOND + RATE_RECOVERY_ACCELERATION x (time since the last cut). */
	private growthSince(fromMs: number, toMs: number): number {
		const fromSeconds = Math.max(0, fromMs - this.lastDecreaseAtMs) / 1000;
		const toSeconds = Math.max(fromSeconds, (toMs - this.lastDecreaseAtMs) / 1000);
		if (!Number.isFinite(toSeconds)) return 0;
		return (
			RATE_RECOVERY_PER_SECOND * (toSeconds - fromSeconds) +
			(RATE_RECOVERY_ACCELERATION * (toSeconds ** 2 - fromSeconds ** 2)) / 2
		);
	}

	/**
	 * This process's part of what the portal can have taken since the busy period began (a full
	 * bucket plus its drain), when known. Other clients that were busy before we started make the
	 * portal take less than that, so the estimate errs low, and the additive growth corrects it.
	 */
	private measuredShare(nowMs: number): number | undefined {
		if (this.plan === undefined || !Number.isFinite(this.busySinceMs)) return undefined;
		const portalCouldTake = this.plan.capacity + (this.plan.drainPerSecond * (nowMs - this.busySinceMs)) / 1000;
		return this.acceptedWhileBusy / portalCouldTake;
	}
}

/** How long a full bucket takes to drain empty at the plan's whole rate. */
function drainTimeMs(plan: RateLimits): number {
	return (1000 * plan.capacity) / plan.drainPerSecond;
}

// One per portal for the whole process, keyed like the bucket (the portal origin, never a secret).
const ratesByPortal = new Map<string, AdaptiveRate>();

export function adaptiveRateForPortal(portalKey: string): AdaptiveRate {
	let rate = ratesByPortal.get(portalKey);
	if (rate === undefined) {
		rate = new AdaptiveRate();
		ratesByPortal.set(portalKey, rate);
	}
	return rate;
}
