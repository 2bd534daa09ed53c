import { isLoopbackHost, strictUrlOrReason } from '../shared/strictUrl';

/**
 * Where OAuth calls go, and so where the access token goes. Bitrix24's token server names the
 * portal's REST base as `client_endpoint` in every token answer, and n8n merges each answer into
 * the stored token data: a compromised or mistyped token server could otherwise move every later
 * call, token attached, to any host. So `client_endpoint` is used only when it is https (http
 * only on this machine, for tests) and on the Portal URL's host, or when both are Bitrix24 cloud
 * hosts (a renamed cloud portal moves between two of them).
 */
export class PortalEndpointError extends Error {}

/**
 * Bitrix24 cloud domains: a cloud portal is `<name>.<one of these>`. A portal renamed in the
 * cloud keeps being a `<name>.<domain>` host from this list. Keep in sync with docs/security.md.
 */
export const BITRIX24_CLOUD_DOMAINS = [
	'bitrix24.com',
	'bitrix24.eu',
	'bitrix24.de',
	'bitrix24.fr',
	'bitrix24.es',
	'bitrix24.it',
	'bitrix24.pl',
	'bitrix24.uk',
	'bitrix24.com.br',
	'bitrix24.com.tr',
	'bitrix24.in',
	'bitrix24.id',
	'bitrix24.jp',
	'bitrix24.cn',
	'bitrix24.vn',
	'bitrix24.ru',
	'bitrix24.by',
	'bitrix24.kz',
	'bitrix24.ua',
] as const;

const PORTAL_NAME = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** `name.bitrix24.com`, on the default https port. */
export function isBitrix24CloudHost(url: URL): boolean {
	if (url.protocol !== 'https:' || url.port !== '') return false;
	const host = url.hostname.toLowerCase();
	return BITRIX24_CLOUD_DOMAINS.some((domain) => {
		if (!host.endsWith(`.${domain}`)) return false;
		return PORTAL_NAME.test(host.slice(0, -domain.length - 1));
	});
}

export const CONNECT_FIRST_MESSAGE =
	'Connect the Bitrix24 OAuth2 credential first: open the credential and click "Connect". Nothing was sent.';

function withTrailingSlash(url: string): string {
	return url.endsWith('/') ? url : `${url}/`;
}

export interface OAuthEndpoint {
	/** `https://example.bitrix24.com/rest/`: every method name is appended to it. */
	restBase: string;
	/** The origin of restBase: where the token goes, and the rate limiter's key. */
	portal: string;
}

/** Like oauthEndpoint, but returns the problem (a message for the user) instead of throwing it. */
export function oauthEndpointOrProblem(portalUrl: unknown, tokenData: unknown): OAuthEndpoint | string {
	try {
		return oauthEndpoint(portalUrl, tokenData);
	} catch (error) {
		return error instanceof Error ? error.message : String(error);
	}
}

/**
 * Decides the REST base for an OAuth2 credential, or throws a PortalEndpointError that says
 * what to change in the credential. Nothing here sends a request.
 */
export function oauthEndpoint(portalUrlInput: unknown, tokenDataInput: unknown): OAuthEndpoint {
	const tokenData = (tokenDataInput ?? {}) as { access_token?: unknown; client_endpoint?: unknown };
	// n8n stores no token data (or an empty one) until the user has connected the credential.
	if (typeof tokenData.access_token !== 'string' || tokenData.access_token === '') {
		throw new PortalEndpointError(CONNECT_FIRST_MESSAGE);
	}

	// Bitrix24 shows the address without a scheme (mycompany.bitrix24.com), and people paste it
	// from the address bar with a page path behind it: both mean the portal's origin.
	const portalText = typeof portalUrlInput === 'string' ? portalUrlInput.trim() : '';
	const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(portalText) ? portalText : `https://${portalText}`;
	const portalUrl = strictUrlOrReason(withScheme);
	if (typeof portalUrl === 'string') {
		throw new PortalEndpointError(
			`Credential "Portal URL" must be the address of your portal, e.g. mycompany.bitrix24.com (it ${portalUrl})`,
		);
	}

	const endpoint = tokenData.client_endpoint;
	if (endpoint === undefined || endpoint === null || endpoint === '') {
		return { restBase: `${portalUrl.origin}/rest/`, portal: portalUrl.origin };
	}

	const refuse = (problem: string) =>
		new PortalEndpointError(
			`The Bitrix24 token server named a REST address (client_endpoint) that ${problem}, so no request was sent. ` +
				`If your portal's address changed, put the new address in the credential's "Portal URL" and reconnect the credential; ` +
				`otherwise check the credential's "Access Token URL" and reconnect.`,
		);
	if (typeof endpoint !== 'string') throw refuse('is not text');
	const endpointUrl = strictUrlOrReason(endpoint);
	if (typeof endpointUrl === 'string') throw refuse(endpointUrl);
	if (endpointUrl.search || endpointUrl.hash) throw refuse('contains ? or #');
	if (endpointUrl.protocol !== 'https:' && !isLoopbackHost(endpointUrl.hostname)) {
		throw refuse(`is not https (${endpointUrl.host})`);
	}
	const sameHost = endpointUrl.host === portalUrl.host;
	const renamedCloudPortal = isBitrix24CloudHost(endpointUrl) && isBitrix24CloudHost(portalUrl);
	if (!sameHost && !renamedCloudPortal) {
		throw refuse(`is on ${endpointUrl.host}, not on the Portal URL's host ${portalUrl.host}`);
	}
	return { restBase: withTrailingSlash(endpointUrl.href), portal: endpointUrl.origin };
}
