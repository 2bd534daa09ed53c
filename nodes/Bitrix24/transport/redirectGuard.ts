import { failureOf } from './errors';
import type { Bitrix24Failure } from './errors';

/**
 * Redirects are never followed. A followed redirect would carry the webhook secret (it is in the
 * path) or the access token (n8n re-sends the Authorization header by default) to whatever host
 * the Location names, and that host's answer would be taken for Bitrix24's. A portal that moved
 * is reported instead, so the user updates the credential. Bitrix24 answers a POST it did not
 * accept at this address with a redirect before running anything, so nothing was executed.
 */
export const NO_REDIRECTS = { disableFollowRedirect: true } as const;

export const PORTAL_REDIRECT_CODE = 'PORTAL_REDIRECT';

function headerValue(headers: unknown, name: string): string | undefined {
	if (!headers || typeof headers !== 'object') return undefined;
	for (const [key, value] of Object.entries(headers as Record<string, unknown>)) {
		if (key.toLowerCase() !== name) continue;
		if (typeof value === 'string') return value;
		if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
	}
	return undefined;
}

/**
 * The failure for a 3xx answer, or undefined for any other status. Only the target host is
 * named: the rest of the Location may repeat the webhook secret. Fatal: resending to the same
 * address would only be redirected again.
 */
export function redirectFailure(status: unknown, headers: unknown, portal: string): Bitrix24Failure | undefined {
	if (typeof status !== 'number' || status < 300 || status > 399 || status === 304) return undefined;
	const location = headerValue(headers, 'location');
	let target = 'an unknown address';
	if (location) {
		try {
			target = new URL(location, portal).host;
		} catch {
			target = 'an invalid address';
		}
	}
	return failureOf({
		code: PORTAL_REDIRECT_CODE,
		description: `The portal answered with a redirect to ${target}: update the credential with the portal's current address. The redirect was not followed and nothing was executed`,
		httpStatus: status,
		verdict: 'fatal',
	});
}
