import { strictUrlOrReason } from './strictUrl';

/**
 * Parses the inbound webhook URL exactly as Bitrix24 shows it
 * (`https://example.bitrix24.com/rest/1/abc123xyz/`), with or without the trailing slash or a
 * trailing method name (`.../profile.json`). Only the origin is ever shown back to the user:
 * the secret in the path is a password.
 */
export interface ParsedWebhookUrl {
	/** `https://example.bitrix24.com/rest/1/abc123xyz/`: every method name is appended to it. */
	restBase: string;
	/** `https://example.bitrix24.com`: safe to show and to key the rate limiter by. */
	origin: string;
	userId: string;
}

export const WEBHOOK_URL_EXPECTED_FORM = 'https://your-portal.bitrix24.com/rest/<user id>/<secret>/';

const WEBHOOK_PATH =
	/^(?<prefix>(?:\/[^/]+)*?)\/rest\/(?<userId>\d+)\/(?<secret>[A-Za-z0-9_-]+)(?:\/(?:[A-Za-z0-9_.]+?(?:\.json|\.xml)?)?)?\/?$/;

export class InvalidWebhookUrlError extends Error {}

export const WEBHOOK_COPY_HINT = 'copy it from Bitrix24: Developer resources → Other → Inbound webhook';

export function parseWebhookUrl(input: unknown): ParsedWebhookUrl {
	const text = typeof input === 'string' ? input.trim() : '';
	const rejection = new InvalidWebhookUrlError(
		`The Bitrix24 webhook URL is not in the expected form ${WEBHOOK_URL_EXPECTED_FORM} ` + `(${WEBHOOK_COPY_HINT})`,
	);
	const url = strictUrlOrReason(text);
	if (typeof url === 'string')
		throw new InvalidWebhookUrlError(`The Bitrix24 webhook URL ${url}: ${WEBHOOK_COPY_HINT}`);
	if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
		throw rejection;
	}
	if (url.username || url.password) throw rejection;
	const match = WEBHOOK_PATH.exec(url.pathname);
	if (!match?.groups) throw rejection;
	const { prefix, userId, secret } = match.groups;
	return {
		restBase: `${url.origin}${prefix}/rest/${userId}/${secret}/`,
		origin: url.origin,
		userId,
	};
}
