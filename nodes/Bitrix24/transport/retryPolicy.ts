/**
 * Pure retry decisions for the transport: which failures may be retried, and after how long.
 *
 * The rule behind every choice: `im.message.add` has no idempotency key, so a call may be
 * retried only when we know the server did not execute it (see "What may be retried" in
 * docs/bitrix24-behaviour.md). Anything that may have run is 'ambiguous' and goes back to
 * the user instead of risking a duplicate message.
 */

export interface HttpFailure {
	kind: 'http';
	status: number;
	/** Bitrix24 `error` code from the body; absent when the body was not a Bitrix24 envelope. */
	code?: string;
}

export interface NetworkFailure {
	kind: 'network';
	/** Node/undici error code: ECONNREFUSED, ENOTFOUND, ECONNRESET, ETIMEDOUT, UND_ERR_... */
	errorCode: string;
	/** Whether any byte of the request may have reached the server. */
	sent: boolean;
}

export type TransportFailure = HttpFailure | NetworkFailure;

export type FailureClass =
	/** 503 QUERY_LIMIT_EXCEEDED: refused before running. Retry after the bucket drains. */
	| 'retry-rate-limit'
	/** 429 OPERATION_TIME_LIMIT: refused before running. Retry after operating_reset_at. */
	| 'retry-operation-limit'
	/** No connection was made, so nothing was sent. A few quick retries. */
	| 'retry-connect'
	/** The call may or may not have run. Retrying a non-idempotent call can duplicate it. */
	| 'ambiguous'
	/** Retrying the same request cannot help (bad input, auth, access, plan, TLS, abort). */
	| 'fatal';

/** How long a transport may keep retrying one call in total before reporting the failure. */
export const DEFAULT_MAX_RETRY_WAIT_MS = 5 * 60 * 1000;

export const BASE_RETRY_DELAY_MS = 500;
export const RETRY_DELAY_GROWTH = 1.5;
export const MAX_RETRY_DELAY_MS = 30_000;

/** Retries for 'retry-connect' (and for 'ambiguous' when the call is idempotent). */
export const MAX_QUICK_RETRIES = 3;

/** Without operating_reset_at, wait this long after a 429 (the official JS SDK waits >= 10 s). */
export const OPERATION_LIMIT_FALLBACK_DELAY_MS = 10_000;

/** operating_reset_at has whole-second precision; the server's clock may also run a bit late. */
export const OPERATION_RESET_MARGIN_MS = 500;

/** The operating-time window is 10 minutes, so no reset can be further away than that. */
export const OPERATION_WINDOW_MS = 10 * 60 * 1000;

export const MIN_OPERATION_LIMIT_DELAY_MS = 1000;

// Codes Bitrix24 answers without running the method.
const RATE_LIMIT_CODE = 'QUERY_LIMIT_EXCEEDED';
const OPERATION_LIMIT_CODE = 'OPERATION_TIME_LIMIT';

// Server-side failures inside the method: it may have done its work before failing.
const MAY_HAVE_RUN_CODES = new Set(['INTERNAL_SERVER_ERROR', 'ERROR_UNEXPECTED_ANSWER']);

// Connection-phase failures: no connection, so not a byte of the request left this machine.
const NOTHING_SENT_NETWORK_CODES = new Set([
	'ECONNREFUSED',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EAI_FAIL',
	'EHOSTUNREACH',
	'EHOSTDOWN',
	'ENETUNREACH',
	'ENETDOWN',
	'EADDRNOTAVAIL',
	'UND_ERR_CONNECT_TIMEOUT',
]);

/** True for errors raised before a connection existed: not a byte of the request was sent. */
export function isNothingSentNetworkCode(errorCode: string): boolean {
	return NOTHING_SENT_NETWORK_CODES.has(errorCode);
}

// The caller cancelled: retrying would ignore that.
const ABORT_NETWORK_CODES = new Set(['ABORT_ERR', 'UND_ERR_ABORTED']);

// Certificate and TLS configuration errors, and invalid URLs/arguments: same result every time.
const CONFIGURATION_NETWORK_CODE_PATTERN =
	/^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH|ERR_INVALID_)/;

/**
 * Classifies a failed call. Branches on the Bitrix24 code first (one code comes with different
 * statuses on different paths: docs/bitrix24-behaviour.md), on the status only when there is no code.
 *
 * 401 expired_token is 'fatal' here: the OAuth layer must catch it first, refresh once and
 * resend; that is a new request, not a retry of this one.
 */
export function classifyFailure(failure: TransportFailure): FailureClass {
	return failure.kind === 'http' ? classifyHttpFailure(failure) : classifyNetworkFailure(failure);
}

function classifyHttpFailure({ status, code }: HttpFailure): FailureClass {
	if (code !== undefined && code !== '') {
		if (code === RATE_LIMIT_CODE) return 'retry-rate-limit';
		if (code === OPERATION_LIMIT_CODE) return 'retry-operation-limit';
		if (MAY_HAVE_RUN_CODES.has(code)) return 'ambiguous';
		// Any other code is a decision the server made (OVERLOAD_LIMIT, PORTAL_DELETED, ACCESS_DENIED,
		// ATTACH_ERROR, ...), including the ones sent with a 5xx status: asking again changes nothing.
		return 'fatal';
	}
	// No Bitrix24 envelope: a proxy, a load balancer or a body cut short answered.
	if (status === 429) return 'retry-rate-limit'; // RFC 6585: refused, not processed.
	if (status >= 500) return 'ambiguous'; // A gateway may have forwarded the call before failing.
	// A 2xx only reaches here when its body could not be read as a Bitrix24 answer:
	// the server accepted the call, so it may have run.
	if (status >= 200 && status < 300) return 'ambiguous';
	return 'fatal';
}

function classifyNetworkFailure({ errorCode, sent }: NetworkFailure): FailureClass {
	if (ABORT_NETWORK_CODES.has(errorCode)) return 'fatal';
	if (CONFIGURATION_NETWORK_CODE_PATTERN.test(errorCode)) return 'fatal';
	// These mean no connection existed, whatever the caller believes about `sent`.
	if (NOTHING_SENT_NETWORK_CODES.has(errorCode)) return 'retry-connect';
	// ECONNRESET, ETIMEDOUT, EPIPE, UND_ERR_SOCKET, ... : safe only if nothing had been written.
	return sent ? 'ambiguous' : 'retry-connect';
}

export interface RetryDelayContext {
	/** `time.operating_reset_at` from the last answer, in unix seconds (server clock). */
	operatingResetAt?: number;
	nowMs: number;
	/** The call can run twice without harm (reads). Only then is 'ambiguous' retried. */
	idempotent?: boolean;
	/** The answer's Retry-After, in ms: a refusal is never retried sooner than that. */
	retryAfterMs?: number;
}

/**
 * How long to wait before retry number `attempt` (0 for the first retry) of a call that failed
 * with `failure`. Returns `Number.POSITIVE_INFINITY` when the call must not be retried (any more):
 * a caller stops when the delay is not finite or would exceed its remaining budget
 * (`DEFAULT_MAX_RETRY_WAIT_MS` by default). Deterministic: no jitter, so tests and logs can
 * predict it; the shared leaky bucket already spreads concurrent callers apart.
 */
export function retryDelayMs(attempt: number, failure: FailureClass, context: RetryDelayContext): number {
	const retryIndex = Number.isFinite(attempt) ? Math.max(0, Math.floor(attempt)) : 0;
	switch (failure) {
		case 'retry-rate-limit':
			return atLeastRetryAfter(growingDelayMs(retryIndex), context);
		case 'retry-operation-limit':
			return atLeastRetryAfter(operationLimitDelayMs(retryIndex, context), context);
		case 'retry-connect':
			return retryIndex < MAX_QUICK_RETRIES ? growingDelayMs(retryIndex) : Number.POSITIVE_INFINITY;
		case 'ambiguous':
			return context.idempotent === true && retryIndex < MAX_QUICK_RETRIES
				? growingDelayMs(retryIndex)
				: Number.POSITIVE_INFINITY;
		case 'fatal':
			return Number.POSITIVE_INFINITY;
	}
}

// Clamped to the operating-time window, like a reset time: a bad header cannot park a run for hours.
function atLeastRetryAfter(delayMs: number, { retryAfterMs }: RetryDelayContext): number {
	if (retryAfterMs === undefined || !Number.isFinite(retryAfterMs) || retryAfterMs <= delayMs) return delayMs;
	return Math.round(Math.min(OPERATION_WINDOW_MS, retryAfterMs));
}

function growingDelayMs(retryIndex: number): number {
	return Math.min(MAX_RETRY_DELAY_MS, Math.round(BASE_RETRY_DELAY_MS * RETRY_DELAY_GROWTH ** retryIndex));
}

function operationLimitDelayMs(retryIndex: number, { operatingResetAt, nowMs }: RetryDelayContext): number {
	if (operatingResetAt === undefined || !Number.isFinite(operatingResetAt)) {
		return Math.min(
			OPERATION_WINDOW_MS,
			Math.round(OPERATION_LIMIT_FALLBACK_DELAY_MS * RETRY_DELAY_GROWTH ** retryIndex),
		);
	}
	const untilResetMs = operatingResetAt * 1000 - nowMs + OPERATION_RESET_MARGIN_MS;
	// Clamped both ways: a reset in the past (clock skew) still waits a little, and a skewed
	// clock cannot make us wait longer than the whole window.
	return Math.round(Math.min(OPERATION_WINDOW_MS, Math.max(MIN_OPERATION_LIMIT_DELAY_MS, untilResetMs)));
}
