import {
	DEFAULT_MAX_RETRY_WAIT_MS,
	MAX_QUICK_RETRIES,
	MAX_RETRY_DELAY_MS,
	OPERATION_WINDOW_MS,
	classifyFailure,
	retryDelayMs,
	type FailureClass,
	type TransportFailure,
} from '../../../nodes/Bitrix24/transport/retryPolicy';

describe('classifyFailure', () => {
	const cases: Array<[string, TransportFailure, FailureClass]> = [
		// Refused before running: safe to resend.
		['503 QUERY_LIMIT_EXCEEDED', { kind: 'http', status: 503, code: 'QUERY_LIMIT_EXCEEDED' }, 'retry-rate-limit'],
		['429 OPERATION_TIME_LIMIT', { kind: 'http', status: 429, code: 'OPERATION_TIME_LIMIT' }, 'retry-operation-limit'],
		[
			'the code wins over an unusual status',
			{ kind: 'http', status: 200, code: 'QUERY_LIMIT_EXCEEDED' },
			'retry-rate-limit',
		],
		['429 from a proxy without a Bitrix24 body', { kind: 'http', status: 429 }, 'retry-rate-limit'],
		// May have run: a retry could post the message twice.
		['500 INTERNAL_SERVER_ERROR', { kind: 'http', status: 500, code: 'INTERNAL_SERVER_ERROR' }, 'ambiguous'],
		['500 ERROR_UNEXPECTED_ANSWER', { kind: 'http', status: 500, code: 'ERROR_UNEXPECTED_ANSWER' }, 'ambiguous'],
		['502 from a gateway', { kind: 'http', status: 502 }, 'ambiguous'],
		['504 from a gateway', { kind: 'http', status: 504 }, 'ambiguous'],
		['503 without a Bitrix24 code', { kind: 'http', status: 503 }, 'ambiguous'],
		['200 with a body that is not JSON', { kind: 'http', status: 200 }, 'ambiguous'],
		['error with an empty code on a 200', { kind: 'http', status: 200, code: '' }, 'ambiguous'],
		// Asking again cannot help.
		['503 OVERLOAD_LIMIT (manual block)', { kind: 'http', status: 503, code: 'OVERLOAD_LIMIT' }, 'fatal'],
		['500 PORTAL_DELETED', { kind: 'http', status: 500, code: 'PORTAL_DELETED' }, 'fatal'],
		['400 ATTACH_ERROR', { kind: 'http', status: 400, code: 'ATTACH_ERROR' }, 'fatal'],
		['403 ACCESS_DENIED', { kind: 'http', status: 403, code: 'ACCESS_DENIED' }, 'fatal'],
		[
			'401 expired_token (the OAuth layer refreshes before asking)',
			{ kind: 'http', status: 401, code: 'expired_token' },
			'fatal',
		],
		['404 without a body', { kind: 'http', status: 404 }, 'fatal'],
		['302 that reached the policy', { kind: 'http', status: 302 }, 'fatal'],
		// Network: nothing sent.
		['connection refused', { kind: 'network', errorCode: 'ECONNREFUSED', sent: false }, 'retry-connect'],
		['DNS: no such host', { kind: 'network', errorCode: 'ENOTFOUND', sent: false }, 'retry-connect'],
		['DNS: temporary failure', { kind: 'network', errorCode: 'EAI_AGAIN', sent: false }, 'retry-connect'],
		['connect timeout', { kind: 'network', errorCode: 'UND_ERR_CONNECT_TIMEOUT', sent: false }, 'retry-connect'],
		[
			'refused even if the caller claims it sent',
			{ kind: 'network', errorCode: 'ECONNREFUSED', sent: true },
			'retry-connect',
		],
		['reset before any byte was written', { kind: 'network', errorCode: 'ECONNRESET', sent: false }, 'retry-connect'],
		// Network: after sending.
		['reset after sending', { kind: 'network', errorCode: 'ECONNRESET', sent: true }, 'ambiguous'],
		['timeout after sending', { kind: 'network', errorCode: 'ETIMEDOUT', sent: true }, 'ambiguous'],
		['headers timeout', { kind: 'network', errorCode: 'UND_ERR_HEADERS_TIMEOUT', sent: true }, 'ambiguous'],
		['socket closed by the other side', { kind: 'network', errorCode: 'UND_ERR_SOCKET', sent: true }, 'ambiguous'],
		['unknown code after sending', { kind: 'network', errorCode: 'ESOMETHINGNEW', sent: true }, 'ambiguous'],
		// Network: configuration or cancellation.
		['certificate expired', { kind: 'network', errorCode: 'CERT_HAS_EXPIRED', sent: false }, 'fatal'],
		[
			'wrong host name in certificate',
			{ kind: 'network', errorCode: 'ERR_TLS_CERT_ALTNAME_INVALID', sent: false },
			'fatal',
		],
		['self-signed certificate', { kind: 'network', errorCode: 'DEPTH_ZERO_SELF_SIGNED_CERT', sent: false }, 'fatal'],
		['aborted by the user', { kind: 'network', errorCode: 'ABORT_ERR', sent: true }, 'fatal'],
		['aborted (undici)', { kind: 'network', errorCode: 'UND_ERR_ABORTED', sent: false }, 'fatal'],
	];

	it.each(cases)('%s', (_name, failure, expected) => {
		expect(classifyFailure(failure)).toBe(expected);
	});
});

describe('retryDelayMs', () => {
	const nowMs = 1_772_552_939_000;

	it('grows 500 ms x 1.5 per attempt after a rate limit, then stays at the cap', () => {
		const delays = Array.from({ length: 12 }, (_unused, attempt) =>
			retryDelayMs(attempt, 'retry-rate-limit', { nowMs }),
		);
		expect(delays.slice(0, 5)).toEqual([500, 750, 1125, 1688, 2531]);
		for (let index = 1; index < delays.length; index++) expect(delays[index]).toBeGreaterThanOrEqual(delays[index - 1]);
		expect(delays[11]).toBe(MAX_RETRY_DELAY_MS);
		expect(retryDelayMs(1000, 'retry-rate-limit', { nowMs })).toBe(MAX_RETRY_DELAY_MS);
	});

	it('is deterministic and tolerates odd attempt numbers', () => {
		expect(retryDelayMs(2, 'retry-rate-limit', { nowMs })).toBe(retryDelayMs(2, 'retry-rate-limit', { nowMs: 0 }));
		expect(retryDelayMs(-3, 'retry-rate-limit', { nowMs })).toBe(500);
		expect(retryDelayMs(Number.NaN, 'retry-rate-limit', { nowMs })).toBe(500);
		expect(retryDelayMs(1.7, 'retry-rate-limit', { nowMs })).toBe(750);
	});

	it('waits until operating_reset_at (plus a margin for its whole-second precision)', () => {
		const resetIn42s = Math.floor(nowMs / 1000) + 42;
		expect(retryDelayMs(0, 'retry-operation-limit', { nowMs, operatingResetAt: resetIn42s })).toBe(42_500);
		// The attempt number does not shorten or stretch a known reset.
		expect(retryDelayMs(5, 'retry-operation-limit', { nowMs, operatingResetAt: resetIn42s })).toBe(42_500);
	});

	it('waits at least a second when operating_reset_at is already past (clock skew)', () => {
		const resetAt = Math.floor(nowMs / 1000) - 30;
		expect(retryDelayMs(0, 'retry-operation-limit', { nowMs, operatingResetAt: resetAt })).toBe(1000);
	});

	it('never waits longer than the 10-minute operating window, whatever the clock says', () => {
		const resetAt = Math.floor(nowMs / 1000) + 3 * 3600;
		expect(retryDelayMs(0, 'retry-operation-limit', { nowMs, operatingResetAt: resetAt })).toBe(OPERATION_WINDOW_MS);
	});

	it('without operating_reset_at starts at 10 s and grows', () => {
		expect(retryDelayMs(0, 'retry-operation-limit', { nowMs })).toBe(10_000);
		expect(retryDelayMs(1, 'retry-operation-limit', { nowMs })).toBe(15_000);
		expect(retryDelayMs(50, 'retry-operation-limit', { nowMs })).toBe(OPERATION_WINDOW_MS);
	});

	it('gives connect failures a few quick tries, then stops', () => {
		const delays = Array.from({ length: MAX_QUICK_RETRIES + 2 }, (_unused, attempt) =>
			retryDelayMs(attempt, 'retry-connect', { nowMs }),
		);
		expect(delays).toEqual([500, 750, 1125, Number.POSITIVE_INFINITY, Number.POSITIVE_INFINITY]);
	});

	it('never retries an ambiguous failure unless the call is idempotent', () => {
		expect(retryDelayMs(0, 'ambiguous', { nowMs })).toBe(Number.POSITIVE_INFINITY);
		expect(retryDelayMs(0, 'ambiguous', { nowMs, idempotent: false })).toBe(Number.POSITIVE_INFINITY);
		expect(retryDelayMs(0, 'ambiguous', { nowMs, idempotent: true })).toBe(500);
		expect(retryDelayMs(MAX_QUICK_RETRIES, 'ambiguous', { nowMs, idempotent: true })).toBe(Number.POSITIVE_INFINITY);
	});

	it('never retries a fatal failure', () => {
		expect(retryDelayMs(0, 'fatal', { nowMs, idempotent: true })).toBe(Number.POSITIVE_INFINITY);
	});

	it('lets a caller stop within the default budget: rate-limit retries are bounded by it', () => {
		let waitedMs = 0;
		let attempts = 0;
		for (;;) {
			const delay = retryDelayMs(attempts, 'retry-rate-limit', { nowMs });
			if (!Number.isFinite(delay) || waitedMs + delay > DEFAULT_MAX_RETRY_WAIT_MS) break;
			waitedMs += delay;
			attempts++;
		}
		expect(DEFAULT_MAX_RETRY_WAIT_MS).toBe(300_000);
		expect(attempts).toBe(18); // 11 growing delays (85.5 s), then 7 at the 30 s cap
		expect(waitedMs).toBe(295_498);
	});
});
