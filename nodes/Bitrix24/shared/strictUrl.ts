/**
 * Addresses that decide where a secret goes (the webhook URL, the OAuth Portal URL and the
 * `client_endpoint` a token server names) must mean to the URL parser exactly what they show to
 * a person. The WHATWG parser reads `\` as `/`, silently drops tabs and newlines anywhere, and
 * reads `name@host` as user info: each of these can make the real host differ from the host the
 * user reads (`https://evil.example\@portal.bitrix24.com/` goes to evil.example).
 */
export class MisleadingUrlError extends Error {}

/** Hosts on this machine: plain http to them never crosses a network. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export function isLoopbackHost(hostname: string): boolean {
	return LOOPBACK_HOST.test(hostname);
}

const DEFAULT_PORTS: Record<string, string> = { 'http:': '80', 'https:': '443' };

// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused here
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f-\u009f\u200b-\u200f\u2028\u2029\ufeff]/;

/**
 * Parses an http(s) address and refuses anything whose parsed origin is not the origin as
 * written. Leading and trailing whitespace is trimmed (a paste artefact that changes nothing);
 * whitespace inside is refused. Messages never repeat the URL: it may hold a secret.
 */
export function parseStrictUrl(input: string): URL {
	const text = input.trim();
	if (text.includes('\\')) throw new MisleadingUrlError('contains a backslash (\\)');
	if (WHITESPACE_OR_CONTROL.test(text))
		throw new MisleadingUrlError('contains a space, a tab, a line break or another invisible character');
	const written = /^(https?):\/\/([^/?#]*)/i.exec(text);
	if (!written) throw new MisleadingUrlError('does not start with https:// (or http://)');
	const authority = written[2];
	if (authority.includes('@')) throw new MisleadingUrlError('contains user info (a name and @ before the host)');
	const url = parsedOrUndefined(text);
	if (!url) throw new MisleadingUrlError('is not a valid address');
	if (url.host !== writtenHost(url.protocol, authority)) {
		throw new MisleadingUrlError(`has a host that the URL parser reads as "${url.host}", not as written`);
	}
	return url;
}

function parsedOrUndefined(text: string): URL | undefined {
	try {
		return new URL(text);
	} catch {
		return undefined;
	}
}

/** Like parseStrictUrl, but returns the reason for a refusal instead of throwing it. */
export function strictUrlOrReason(input: string): URL | string {
	try {
		return parseStrictUrl(input);
	} catch (error) {
		return error instanceof MisleadingUrlError ? error.message : 'is not a valid address';
	}
}

/** The host as written, in the form URL.host uses: lower case, default port left out. */
function writtenHost(protocol: string, authority: string): string {
	let host = authority.toLowerCase();
	const defaultPort = DEFAULT_PORTS[protocol];
	if (defaultPort && host.endsWith(`:${defaultPort}`)) host = host.slice(0, -defaultPort.length - 1);
	// A non-ASCII (internationalised) name is what the user reads; the parser holds its punycode.
	// eslint-disable-next-line no-control-regex -- the ASCII range, not control characters
	if (/[^\u0000-\u007f]/.test(host)) return parsedOrUndefined(`${protocol}//${host}`)?.host ?? host;
	return host;
}
