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
 * While requests go through, the share grows back by this much per second: from 0.5 to the whole
 * rate in 50 s. Per second, not per request, so that a process sending slowly recovers as fast as
 * one sending quickly (that is what makes them converge on equal shares). Larger takes over the
 * rate sooner when other workers go quiet, but refuses more often: with W processes sharing a
 * portal, refusals come about 2 x W^2 x this often per second.
 */
export const RATE_RECOVERY_PER_SECOND = 0.01;

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
		const elapsedMs = Math.max(0, nowMs - this.lastGrowthAtMs);
		this.share = Math.min(1, this.share + (RATE_RECOVERY_PER_SECOND * elapsedMs) / 1000);
		this.lastGrowthAtMs = nowMs;
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
