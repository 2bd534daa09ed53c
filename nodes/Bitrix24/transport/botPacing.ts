import { bucketForPortal } from './leakyBucket';
import type { LeakyBucket, RateLimits } from './leakyBucket';

/**
 * Bitrix24 limits chat bot calls (`imbot.v2.*`) to 2 requests per second per application, on top
 * of the portal's own bucket, and refuses more with HTTP 429 (CB2/index.md#limits). It documents
 * no burst, so the client allows two at once and then one every half second.
 */
export const BOT_RATE_LIMITS: RateLimits = { capacity: 2, drainPerSecond: 2 };

export function isBotMethod(method: string): boolean {
	return method.startsWith('imbot.');
}

/** The bots' bucket of a portal, shared by every bot operation and trigger in the process. */
export function botBucketFor(portal: string): LeakyBucket {
	// A key that cannot be an origin, so it never meets the portal's own bucket.
	return bucketForPortal(`${portal} imbot`, BOT_RATE_LIMITS);
}
