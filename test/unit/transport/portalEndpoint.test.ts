import {
	BITRIX24_CLOUD_DOMAINS,
	CONNECT_FIRST_MESSAGE,
	oauthEndpoint,
	PortalEndpointError,
} from '../../../nodes/Bitrix24/transport/portalEndpoint';

const token = (clientEndpoint?: unknown) => ({
	access_token: 'dummy-access',
	...(clientEndpoint === undefined ? {} : { client_endpoint: clientEndpoint }),
});

describe('oauthEndpoint: where the access token may go', () => {
	it('uses client_endpoint on the Portal URL host', () => {
		expect(oauthEndpoint('https://team.bitrix24.com', token('https://team.bitrix24.com/rest/'))).toEqual({
			restBase: 'https://team.bitrix24.com/rest/',
			portal: 'https://team.bitrix24.com',
		});
	});

	it('falls back to the Portal URL without client_endpoint', () => {
		expect(oauthEndpoint(' https://portal.example.org/ ', token())).toEqual({
			restBase: 'https://portal.example.org/rest/',
			portal: 'https://portal.example.org',
		});
	});

	it('accepts a renamed cloud portal: both hosts are Bitrix24 cloud hosts', () => {
		expect(oauthEndpoint('https://old.bitrix24.com', token('https://new.bitrix24.com/rest/')).portal).toBe(
			'https://new.bitrix24.com',
		);
		expect(oauthEndpoint('https://old.bitrix24.de', token('https://new.bitrix24.eu/rest/')).portal).toBe(
			'https://new.bitrix24.eu',
		);
		expect(BITRIX24_CLOUD_DOMAINS).toContain('bitrix24.com.br');
	});

	it.each([
		[
			'another host',
			'https://team.bitrix24.com',
			'https://evil.example/rest/',
			/is on evil\.example, not on the Portal URL's host team\.bitrix24\.com/,
		],
		[
			'a cloud host for a self-hosted portal',
			'https://crm.example.org',
			'https://evil.bitrix24.com/rest/',
			/not on the Portal URL's host/,
		],
		[
			'a self-hosted host for a cloud portal',
			'https://team.bitrix24.com',
			'https://crm.example.org/rest/',
			/not on the Portal URL's host/,
		],
		[
			'a look-alike cloud domain',
			'https://team.bitrix24.com',
			'https://team.bitrix24.com.evil.example/rest/',
			/not on the Portal URL's host/,
		],
		[
			'a deeper cloud subdomain',
			'https://team.bitrix24.com',
			'https://a.b.bitrix24.com/rest/',
			/not on the Portal URL's host/,
		],
		['plain http to a remote host', 'https://team.bitrix24.com', 'http://team.bitrix24.com/rest/', /is not https/],
		['a backslash', 'https://team.bitrix24.com', 'https://evil.example\\@team.bitrix24.com/rest/', /backslash/],
		['user info', 'https://team.bitrix24.com', 'https://x@team.bitrix24.com/rest/', /user info/],
		['not text', 'https://team.bitrix24.com', 42, /is not text/],
	])('refuses %s, saying what to change in the credential', (_label, portalUrl, endpoint, reason) => {
		expect(() => oauthEndpoint(portalUrl, token(endpoint))).toThrow(PortalEndpointError);
		expect(() => oauthEndpoint(portalUrl, token(endpoint))).toThrow(reason);
		expect(() => oauthEndpoint(portalUrl, token(endpoint))).toThrow(
			/put the new address in the credential's "Portal URL" and reconnect/,
		);
	});

	it('allows plain http only on this machine', () => {
		expect(oauthEndpoint('http://127.0.0.1:8080', token('http://127.0.0.1:8080/rest/')).restBase).toBe(
			'http://127.0.0.1:8080/rest/',
		);
		expect(() => oauthEndpoint('http://127.0.0.1:8080', token('http://127.0.0.1:9090/rest/'))).toThrow(
			/not on the Portal URL's host 127\.0\.0\.1:8080/,
		);
	});

	it('asks to connect the credential when there is no access token', () => {
		expect(() => oauthEndpoint('https://team.bitrix24.com', undefined)).toThrow(CONNECT_FIRST_MESSAGE);
		expect(() => oauthEndpoint('https://team.bitrix24.com', { access_token: '' })).toThrow(CONNECT_FIRST_MESSAGE);
	});

	it('refuses a misleading Portal URL', () => {
		expect(() => oauthEndpoint('https://evil.example\\@team.bitrix24.com', token())).toThrow(
			/Credential "Portal URL".*backslash/,
		);
	});
});
