import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { adaptiveRateForPortal } from './adaptiveRate';
import type { Bitrix24Connection, Bitrix24Context } from './connection';
import type { Bitrix24Failure } from './errors';
import { DEFAULT_REQUEST_TIMEOUT_MS, exchange } from './httpOutcome';
import type { HttpOutcome } from './httpOutcome';
import { bucketForPortal, RATE_PLANS } from './leakyBucket';
import { classifyFailure, DEFAULT_MAX_RETRY_WAIT_MS, retryDelayMs } from './retryPolicy';

export type RatePlan = keyof typeof RATE_PLANS;

export interface CallSettings {
	ratePlan: RatePlan;
	/** The longest the node may spend waiting on retryable refusals for one request. */
	maxRetryWaitMs: number;
	timeoutMs: number;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = {
	ratePlan: 'standard',
	maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS,
	timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
};

export type CallResult = { ok: true; body: IDataObject } | { ok: false; failure: Bitrix24Failure };

/** Waits for a slot in the portal's client-side leaky bucket, shared by the whole n8n process. */
export async function pace(connection: Bitrix24Connection, settings: CallSettings): Promise<void> {
	const waitMs = bucketForPortal(connection.portal, RATE_PLANS[settings.ratePlan]).reserve();
	if (waitMs > 0) await sleep(waitMs);
}

export function outcomeToFailure(outcome: Exclude<HttpOutcome, { kind: 'success' }>): Bitrix24Failure {
	switch (outcome.kind) {
		case 'api-error':
			return { code: outcome.code, description: outcome.description, httpStatus: outcome.status };
		case 'not-json':
			return {
				code: 'NON_JSON_RESPONSE',
				description: `Bitrix24 (or a proxy in front of it) answered HTTP ${outcome.status} with ${outcome.contentType} instead of JSON`,
				httpStatus: outcome.status,
			};
		case 'network':
			return {
				code: outcome.errorCode,
				description: outcome.sent
					? 'The connection to Bitrix24 failed after the request was sent'
					: 'Could not connect to the Bitrix24 portal: check the URL in the credential',
			};
		case 'reconnect':
			return {
				code: 'REFRESH_FAILED',
				description: `Bitrix24 refused to refresh the access token (${outcome.reason}): reconnect the Bitrix24 credential`,
			};
	}
}

/**
 * Calls one REST method (a single method or `batch`) and retries only what Bitrix24 did not
 * execute: rate-limit and operating-time refusals, and connections that never opened. Anything
 * that may have been executed (timeout, dropped connection, 5xx, non-JSON) is returned as a
 * failure marked `deliveryUnknown`, because a retry could post the message twice.
 */
export async function callMethod(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	settings: CallSettings = DEFAULT_CALL_SETTINGS,
): Promise<CallResult> {
	let waitedMs = 0;
	for (let attempt = 0; ; attempt++) {
		await pace(connection, settings);
		const sentAtMs = Date.now();
		const outcome = await exchange(context, connection, method, params, settings.timeoutMs);
		if (outcome.kind === 'success') {
			adaptiveRateForPortal(connection.portal).accepted();
			return { ok: true, body: outcome.body };
		}

		const verdict = classifyOutcome(outcome);
		if (verdict === 'retry-rate-limit') {
			bucketForPortal(connection.portal, RATE_PLANS[settings.ratePlan]).penalize();
			adaptiveRateForPortal(connection.portal).refused(sentAtMs);
		}
		if (verdict.startsWith('retry-')) {
			const delayMs = retryDelayMs(attempt, verdict, {
				operatingResetAt: operatingResetAt(outcome),
				nowMs: Date.now(),
			});
			if (waitedMs + delayMs <= settings.maxRetryWaitMs) {
				waitedMs += delayMs;
				await sleep(delayMs);
				continue;
			}
		}
		const failure = outcomeToFailure(outcome);
		if (verdict === 'ambiguous') failure.deliveryUnknown = true;
		if (verdict.startsWith('retry-')) {
			failure.description = `${failure.description} (still refused after waiting ${Math.round(waitedMs / 1000)} s)`;
		}
		return { ok: false, failure };
	}
}

type Verdict = ReturnType<typeof classifyFailure>;

export function classifyOutcome(outcome: Exclude<HttpOutcome, { kind: 'success' }>): Verdict {
	switch (outcome.kind) {
		case 'api-error':
			return classifyFailure({ kind: 'http', status: outcome.status, code: outcome.code });
		case 'not-json':
			// A proxy page (HTML 502) or a cut answer: the portal may have executed the call.
			return 'ambiguous';
		case 'network':
			return classifyFailure({ kind: 'network', errorCode: outcome.errorCode, sent: outcome.sent });
		case 'reconnect':
			return 'fatal';
	}
}

function operatingResetAt(outcome: HttpOutcome): number | undefined {
	if (outcome.kind !== 'api-error') return undefined;
	const time = outcome.body.time as IDataObject | undefined;
	const resetAt = Number(time?.operating_reset_at);
	return Number.isFinite(resetAt) && resetAt > 0 ? resetAt : undefined;
}
