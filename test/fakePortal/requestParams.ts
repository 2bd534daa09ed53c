/** Request parameters as Bitrix24 reads them: query string, then a form or JSON body on top. */
import { isRecord } from './envelope';
import { parsePhpQuery } from './phpQuery';

/**
 * Query and body merged like PHP's $_REQUEST (body wins). An invalid JSON body, or a JSON body
 * that is not an object, is dropped silently, as Bitrix24 does. Other content types (multipart,
 * text) are not read: PHP would not put them into $_POST either (multipart is not supported here).
 */
export function readParams(search: string, contentType: string | undefined, rawBody: string): Record<string, unknown> {
	const params = parsePhpQuery(search.startsWith('?') ? search.slice(1) : search);
	const type = (contentType ?? '').toLowerCase();
	let body: Record<string, unknown> = {};
	if (rawBody !== '' && type.includes('json')) {
		try {
			const parsed: unknown = JSON.parse(rawBody);
			if (isRecord(parsed) && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
		} catch {
			body = {};
		}
	} else if (rawBody !== '' && type.includes('application/x-www-form-urlencoded')) {
		body = parsePhpQuery(rawBody);
	}
	for (const [key, value] of Object.entries(body)) {
		Object.defineProperty(params, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return params;
}
