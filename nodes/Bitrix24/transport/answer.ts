import type { IDataObject } from 'n8n-workflow';

import { failureOf } from './errors';
import { redirectFailure } from './redirectGuard';
import type { Bitrix24Failure } from './errors';
import { classifyFailure, isNothingSentNetworkCode } from './retryPolicy';

/**
 * What came of a call: the one shape from the HTTP answer to the operation. An answer is read into
 * it here, with the failure's verdict (retry, uncertain, fatal) decided once; a batch answer is
 * split into one per command (batchAnswer.ts); the engine returns one per command. Nothing here
 * keeps the raw HTTP error: it carries the request URL, and for webhooks that URL holds the secret.
 */
export type Outcome =
	/**
	 * `body`: Bitrix24's answer for this call: for a request of its own the whole envelope
	 * (`result`, `next`, `total`, `time`), for a command of a batch `{ result }`.
	 */
	{ ok: true; result: unknown; body: IDataObject } | { ok: false; failure: Bitrix24Failure };

/** Retry-After as seconds or as an HTTP date, in ms from now. */
export function retryAfterMsOf(header: unknown, nowMs = Date.now()): number | undefined {
	const text = Array.isArray(header) ? String(header[0] ?? '') : typeof header === 'string' ? header : '';
	if (text.trim() === '') return undefined;
	if (/^\s*\d+\s*$/.test(text)) return Number(text) * 1000;
	const atMs = Date.parse(text);
	return Number.isFinite(atMs) ? Math.max(0, atMs - nowMs) : undefined;
}

/** `time.operating_reset_at` of an answer or of a batch command's result_time entry. */
export function operatingResetAtOf(time: unknown): number | undefined {
	if (time === null || typeof time !== 'object') return undefined;
	const resetAt = Number((time as IDataObject).operating_reset_at);
	return Number.isFinite(resetAt) && resetAt > 0 ? resetAt : undefined;
}

/** A Bitrix24 `{error, error_description}` envelope (an HTTP answer or a batch command's entry). */
export function envelopeFailure(
	status: number,
	envelope: IDataObject,
	extra: { operatingResetAt?: number; retryAfterMs?: number } = {},
): Bitrix24Failure {
	// `error` may be an empty string on some failures: its presence is what counts.
	const code = String(envelope.error || 'UNKNOWN_ERROR');
	return failureOf({
		code,
		description: typeof envelope.error_description === 'string' ? envelope.error_description : '',
		httpStatus: status,
		verdict: classifyFailure({ kind: 'http', status, code }),
		...extra,
	});
}

/** What a refusal without Bitrix24's envelope is known to mean. */
function refusalNote(status: number): string {
	if (status === 413) {
		return ': the request was larger than the server or a proxy in front of it accepts, so it did not reach Bitrix24 and nothing was done';
	}
	return '';
}

export function readBody(status: number, headers: Record<string, unknown> | undefined, rawBody: unknown): Outcome {
	const contentType = String(headers?.['content-type'] ?? '') || 'unknown content type';
	let body = rawBody;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		try {
			body = JSON.parse(body.toString());
		} catch {
			body = undefined;
		}
	}
	if (body === null || body === undefined || typeof body !== 'object' || Array.isArray(body)) {
		// A proxy page or a cut answer. After a 2xx or a 5xx the portal may have executed the call;
		// a 4xx page (413 body too large, 403 firewall…) is a refusal before it reached Bitrix24.
		const refused = status >= 400 && status < 500 && status !== 429;
		return {
			ok: false,
			failure: failureOf({
				code: 'NON_JSON_RESPONSE',
				description: `Bitrix24 (or a proxy in front of it) answered HTTP ${status} with ${contentType} instead of JSON${refusalNote(status)}`,
				httpStatus: status,
				verdict: status === 429 ? 'retry-rate-limit' : refused ? 'fatal' : 'ambiguous',
				retryAfterMs: retryAfterMsOf(headers?.['retry-after']),
			}),
		};
	}
	const envelope = body as IDataObject;
	const retryAfterMs = retryAfterMsOf(headers?.['retry-after']);
	if ('error' in envelope) {
		return {
			ok: false,
			failure: envelopeFailure(status, envelope, { operatingResetAt: operatingResetAtOf(envelope.time), retryAfterMs }),
		};
	}
	if (status >= 300) {
		// JSON, but not Bitrix24's envelope: judged by the status alone (a 5xx may have run, a 429 did not).
		return {
			ok: false,
			failure: failureOf({
				code: `HTTP_${status}`,
				description: `Bitrix24 (or a proxy in front of it) answered HTTP ${status} without an error code${refusalNote(status)}`,
				httpStatus: status,
				verdict: classifyFailure({ kind: 'http', status }),
				retryAfterMs,
			}),
		};
	}
	if (!('result' in envelope)) {
		// Accepted, but no result: the call may have run, and nothing says whether it did.
		return {
			ok: false,
			failure: failureOf({
				code: 'NO_RESULT',
				description: `Bitrix24 answered HTTP ${status} without a result`,
				httpStatus: status,
				verdict: 'ambiguous',
			}),
		};
	}
	return { ok: true, result: envelope.result, body: envelope };
}

interface ErrorLike {
	code?: unknown;
	message?: unknown;
	name?: unknown;
	cause?: unknown;
	response?: { status?: unknown; headers?: Record<string, unknown>; data?: unknown; body?: unknown };
	body?: unknown;
}

function causes(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 6) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

/** A thrown HTTP error: an answer with a status, a refused token refresh, or a network failure. */
export function readThrown(error: unknown, host: string, portal: string): Outcome {
	const chain = causes(error);
	// n8n's OAuth2 helper gives up on a refresh that the token server refused: the user must reconnect.
	for (const link of chain) {
		const body = link.body as { error?: unknown } | undefined;
		const refused =
			link.name === 'AuthError' ||
			(body && typeof body.error === 'string' && /^invalid_(grant|client)$/.test(body.error)) ||
			(typeof link.message === 'string' && /needs to be reconnected/.test(link.message));
		if (refused) {
			const reason = typeof body?.error === 'string' ? body.error : 'invalid_grant';
			return {
				ok: false,
				failure: failureOf({
					code: 'REFRESH_FAILED',
					description: `Bitrix24 refused to refresh the access token (${reason}): reconnect the Bitrix24 credential`,
					verdict: 'fatal',
				}),
			};
		}
	}
	for (const link of chain) {
		const response = link.response;
		if (response && typeof response.status === 'number') {
			const redirect = redirectFailure(response.status, response.headers, portal);
			if (redirect) return { ok: false, failure: redirect };
			return readBody(response.status, response.headers, response.data ?? response.body);
		}
	}
	// Nothing recognisable: treat as a failure after sending, the safe assumption for a POST.
	const errorCode =
		chain
			.map((link) => link.code)
			.find((code): code is string => typeof code === 'string' && /^[A-Z][A-Z_]+$/.test(code)) ??
		'UNKNOWN_NETWORK_ERROR';
	const sent = !isNothingSentNetworkCode(errorCode);
	return {
		ok: false,
		failure: failureOf({
			code: errorCode,
			description: sent
				? `The connection to ${host} broke after the request was sent`
				: `Could not connect to ${host}: is the portal address right and reachable from n8n?`,
			verdict: classifyFailure({ kind: 'network', errorCode, sent }),
			network: true,
		}),
	};
}
