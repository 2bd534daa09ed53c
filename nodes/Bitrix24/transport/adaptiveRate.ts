/**
 * Adaptive pacing: this process's share of a portal's request rate, for when other clients
 * (more n8n workers in queue mode, other apps on the same portal) spend the same server bucket.
 *
 * The client-side leaky bucket assumes this process is the portal's only client. It cannot see
 * the others; the only signal it gets is a 503 QUERY_LIMIT_EXCEEDED, which says the portal's
 * bucket is full right now. So, as TCP does with lost packets, a refusal cuts the rate this
 * process allows itself (multiplicative decrease), and the rate grows back while requests go
 * through (additive increase).
 *
 * Why the growth waits: a refusal is the only way to learn that there is room again, so every
 * increase is a probe, and with W processes probing at once the refusals come about W^2 times
 * as often. A process that has found its share therefore keeps it for a quiet minute; only
 * after that does it start growing, slowly and then faster, so that it takes over the whole rate
 * when the others have gone quiet. A refusal during that growth cuts a little (the overshoot is
 * small) and restarts the quiet minute.
 *
 * Why the first cut is measured: processes that start together all burst into one bucket, and
 * what each got through is about its fair share. Taking that at once (a little under it, so the
 * bucket drains instead of staying at the brim) saves the refusals of cutting step by step.
 *
 * Each portal's PortalPacer (pacer.ts) holds one, beside the bucket it paces, so all executions of
 * the process (n8n runs many at once) slow down together. A process alone on its portal is never
 * refused, so its share stays 1 and it paces exactly as without this.
 */
import type { RateLimits } from './leakyBucket';

/** A refusal cuts the share of the portal's rate this process takes to this fraction of it. */
export const RATE_DECREASE_FACTOR = 0.85;

/**
 * After a burst shared with other clients, the share is what this process got through, times
 * this (5 % under it, so the portal's bucket drains a little instead of refusing at the brim)...
 */
export const MEASURED_SHARE_MARGIN = 0.95;

/**
 * ...but one refusal never cuts below this fraction of the share it had: a portal whose bucket
 * was already partly spent when this process began makes the measure far too low.
 */
export const MAX_CUT_AT_ONCE = 1 / 8;

/**
 * Refusals of requests sent this many paced intervals (at the new, lower rate) after a cut are
 * echoes of the same overflow: the other clients have not had time to slow down yet.
 */
export const REFUSAL_ECHO_INTERVALS = 2;

/** After a cut, the share stays put this long while requests go through... */
export const QUIET_BEFORE_GROWTH_MS = 60_000;

/**
 * ...then grows by this much per second for every second past the quiet minute: +0.06 after
 * 5 s more, +0.25 after 10 s, back from 0.25 to the whole rate about 17 s into the growth.
 * Growth goes by time, not by requests, so a process sending slowly recovers as fast as one
 * sending quickly, which is what makes several processes converge on equal shares.
 */
export const RATE_RECOVERY_ACCELERATION = 0.005;

/** The share never drops below this: 1/16 is 1 request per 8 s on the standard plan. */
export const MIN_RATE_SHARE = 1 / 16;

export class AdaptiveRate {
	private share = 1;

	private plan: RateLimits | undefined;

	private lastDecreaseAtMs = Number.NEGATIVE_INFINITY;

	// Requests sent before this were paced at a rate already cut for the same overflow.
	private echoesUntilMs = Number.NEGATIVE_INFINITY;

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
		if (sentAtMs <= this.echoesUntilMs) return;
		const nowMs = this.now();
		let share = this.share * RATE_DECREASE_FACTOR;
		const measured = this.measuredShare(nowMs);
		if (measured !== undefined) {
			share = Math.min(share, Math.max(measured * MEASURED_SHARE_MARGIN, this.share * MAX_CUT_AT_ONCE));
		}
		this.share = Math.max(MIN_RATE_SHARE, share);
		this.lastDecreaseAtMs = nowMs;
		this.lastGrowthAtMs = nowMs;
		const pacedIntervalMs = this.plan === undefined ? 0 : 1000 / (this.plan.drainPerSecond * this.share);
		this.echoesUntilMs = nowMs + REFUSAL_ECHO_INTERVALS * pacedIntervalMs;
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

	/** The integral of RATE_RECOVERY_ACCELERATION x (time past the quiet minute since the last cut). */
	private growthSince(fromMs: number, toMs: number): number {
		const growingFromMs = this.lastDecreaseAtMs + QUIET_BEFORE_GROWTH_MS;
		if (!Number.isFinite(growingFromMs)) return 0;
		const fromSeconds = Math.max(0, fromMs - growingFromMs) / 1000;
		const toSeconds = Math.max(fromSeconds, (toMs - growingFromMs) / 1000);
		return (RATE_RECOVERY_ACCELERATION * (toSeconds ** 2 - fromSeconds ** 2)) / 2;
	}

	/**
	 * This process's part of what the portal can have taken since the busy period began (a full
	 * bucket plus its drain), when known. Other clients that were busy before we started make the
	 * portal take less than that, so the estimate errs low; MAX_CUT_AT_ONCE bounds the error.
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
