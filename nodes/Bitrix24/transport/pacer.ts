import { AdaptiveRate } from './adaptiveRate';
import { BUCKET_SAFETY_MARGIN_MS, LeakyBucket } from './leakyBucket';
import type { RateLimits } from './leakyBucket';

/**
 * Bitrix24 limits chat bot calls (`imbot.v2.*`) to 2 requests per second per application, on top
 * of the portal's own bucket, and refuses more with HTTP 429 (CB2/index.md#limits). It documents
 * no burst, so the client allows two at once and then one every half second.
 */
export const BOT_RATE_LIMITS: RateLimits = { capacity: 2, drainPerSecond: 2 };

export function isBotMethod(method: string): boolean {
	return method.startsWith('imbot.');
}

/**
 * Everything that paces the requests to one portal, as one object: the client-side copy of the
 * portal's bucket (leakyBucket.ts), paced at this process's share of the plan's rate
 * (adaptiveRate.ts: less after refusals, when other clients spend the same bucket), and the bots'
 * own lane for `imbot.*` calls. The engine asks it for a slot before each request and tells it
 * what the portal answered; the limits change only when the plan or the share does.
 */
export class PortalPacer {
	private plan: RateLimits;

	private readonly bucket: LeakyBucket;

	private readonly share: AdaptiveRate;

	// Chat bot calls wait for a slot under both limits: the portal's and the bots' own.
	private readonly botLane: LeakyBucket;

	/**
	 * A new share takes effect at the next reservation, not when it is decided: until then the
	 * mirrored bucket drains at the rate it had, as the server's does. That is the pacing the
	 * simulation and the benchmark were tuned with; applying a cut at once changes both (fewer
	 * refusals in the simulation, a slower run on the benchmark's small bucket).
	 */
	private shareChanged = false;

	constructor(plan: RateLimits, now: () => number = Date.now, safetyMarginMs: number = BUCKET_SAFETY_MARGIN_MS) {
		this.plan = plan;
		this.share = new AdaptiveRate(now);
		this.bucket = new LeakyBucket(this.share.limitsFor(plan), now, safetyMarginMs);
		this.botLane = new LeakyBucket(BOT_RATE_LIMITS, now, safetyMarginMs);
	}

	/** The fraction of the plan's rate this process currently takes (see AdaptiveRate). */
	get currentShare(): number {
		return this.share.currentShare;
	}

	/** Switches to another plan's limits, keeping the bucket's fill level; the same plan changes nothing. */
	usePlan(plan: RateLimits): void {
		if (plan.capacity === this.plan.capacity && plan.drainPerSecond === this.plan.drainPerSecond) return;
		this.plan = plan;
		this.applyShare();
	}

	/**
	 * Reserves the slot for one request calling `method` and returns how many ms the caller must
	 * wait before sending it; when the wait would be longer than `maxWaitMs`, reserves nothing and
	 * returns undefined (the caller will not send). Call it exactly once per HTTP request.
	 */
	reserveWithin(method: string, maxWaitMs: number): number | undefined {
		if (this.shareChanged) this.applyShare();
		const botLane = isBotMethod(method) ? this.botLane : undefined;
		if (botLane !== undefined && botLane.nextSlotInMs() > maxWaitMs) return undefined;
		const portalWaitMs = this.bucket.reserveWithin(maxWaitMs);
		if (portalWaitMs === undefined) return undefined;
		return Math.max(portalWaitMs, botLane?.reserve() ?? 0);
	}

	/** A request calling `method`, sent at `sentAtMs`, was refused for the rate (503 QUERY_LIMIT_EXCEEDED, 429). */
	refused(method: string, sentAtMs: number): void {
		// The server's bucket is full now, whatever we counted (at the share we had until now).
		if (this.shareChanged) this.applyShare();
		this.bucket.penalize();
		if (isBotMethod(method)) this.botLane.penalize();
		this.share.refused(sentAtMs);
		this.shareChanged = true;
	}

	/** A request went through: the portal took it without a rate-limit refusal. */
	accepted(): void {
		this.share.accepted();
		this.shareChanged = true;
	}

	// Paced at this process's share of the plan's rate: less after refusals (other clients).
	private applyShare(): void {
		this.bucket.updateLimits(this.share.limitsFor(this.plan));
		this.shareChanged = false;
	}
}

// One pacer per portal for the whole process: the server counts every caller together.
const pacersByPortal = new Map<string, PortalPacer>();

/**
 * The shared pacer of a portal. `portalKey` is the portal's origin (`https://x.bitrix24.com`):
 * never a webhook URL, which contains the secret. Passing another plan than last time (the plan
 * changed) switches the shared pacer to its limits.
 */
export function pacerForPortal(portalKey: string, plan: RateLimits): PortalPacer {
	const existing = pacersByPortal.get(portalKey);
	if (existing !== undefined) {
		existing.usePlan(plan);
		return existing;
	}
	const pacer = new PortalPacer(plan);
	pacersByPortal.set(portalKey, pacer);
	return pacer;
}
