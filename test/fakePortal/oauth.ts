/** OAuth 2.0 as oauth.bitrix.info does it: authorization codes, rotating refresh tokens, expiring access tokens. */
import { randomBytes } from 'node:crypto';

import type { FakePortalTokens } from './types';

export interface OAuthConfig {
	clientId: string;
	clientSecret: string;
	accessTokenTtlSeconds: number;
	scopes: string[];
}

export type AccessTokenCheck = { ok: true; scopes: string[] } | { ok: false; code: 'invalid_token' | 'expired_token' };

export interface TokenAnswer {
	status: number;
	body: Record<string, unknown>;
}

/** The authorization code lives 30 s, as on Bitrix24. */
const AUTHORIZATION_CODE_TTL_MS = 30_000;

function newToken(): string {
	return randomBytes(32).toString('hex');
}

function oauthError(status: number, error: string, description: string): TokenAnswer {
	return { status, body: { error, error_description: description } };
}

export class OAuthServer {
	readonly tokens: FakePortalTokens = { issuedAccess: [], issuedRefresh: [], refreshGrants: 0 };
	/** Overrides client_endpoint in token answers (a renamed portal, or a compromised token server). */
	clientEndpoint: string | undefined;
	private readonly accessExpiresAtMs = new Map<string, number>();
	private readonly liveRefreshTokens = new Set<string>();
	private readonly codes = new Map<string, number>();

	constructor(
		private readonly config: OAuthConfig,
		private readonly endpoints: { restUrl: string; serverEndpoint: string },
	) {}

	issueAuthorizationCode(): string {
		const code = newToken();
		this.codes.set(code, Date.now() + AUTHORIZATION_CODE_TTL_MS);
		return code;
	}

	expireAccessTokens(): void {
		for (const token of this.accessExpiresAtMs.keys()) this.accessExpiresAtMs.set(token, 0);
	}

	checkAccessToken(token: string): AccessTokenCheck {
		const expiresAtMs = this.accessExpiresAtMs.get(token);
		if (expiresAtMs === undefined) return { ok: false, code: 'invalid_token' };
		if (Date.now() >= expiresAtMs) return { ok: false, code: 'expired_token' };
		return { ok: true, scopes: this.config.scopes };
	}

	/**
	 * The token endpoint. `params` merges query and body; `basicCredentials` comes from an
	 * Authorization: Basic header (client-oauth2 may send the client that way).
	 */
	handleTokenRequest(
		params: Record<string, unknown>,
		basicCredentials: { clientId: string; clientSecret: string } | undefined,
	): TokenAnswer {
		const grantType = typeof params.grant_type === 'string' ? params.grant_type : '';
		if (grantType === '') return oauthError(400, 'invalid_request', 'grant_type is required');
		const clientId = basicCredentials?.clientId ?? (typeof params.client_id === 'string' ? params.client_id : '');
		const clientSecret =
			basicCredentials?.clientSecret ?? (typeof params.client_secret === 'string' ? params.client_secret : '');
		if (clientId !== this.config.clientId || clientSecret !== this.config.clientSecret) {
			// RFC 6749 5.2: 401 when the client authenticated with the Authorization header, else 400.
			return oauthError(basicCredentials ? 401 : 400, 'invalid_client', 'Invalid client credentials');
		}
		if (grantType === 'authorization_code') {
			const code = typeof params.code === 'string' ? params.code : '';
			const expiresAtMs = this.codes.get(code);
			this.codes.delete(code); // single use, even when it has expired
			if (expiresAtMs === undefined || Date.now() >= expiresAtMs) {
				return oauthError(400, 'invalid_grant', 'Invalid authorization code');
			}
			return { status: 200, body: this.issuePair() };
		}
		if (grantType === 'refresh_token') {
			const refreshToken = typeof params.refresh_token === 'string' ? params.refresh_token : '';
			if (!this.liveRefreshTokens.delete(refreshToken)) {
				return oauthError(400, 'invalid_grant', 'Invalid refresh token');
			}
			this.tokens.refreshGrants++;
			return { status: 200, body: this.issuePair() };
		}
		return oauthError(400, 'unsupported_grant_type', 'Unsupported grant type');
	}

	private issuePair(): Record<string, unknown> {
		const accessToken = newToken();
		const refreshToken = newToken();
		const ttl = this.config.accessTokenTtlSeconds;
		this.accessExpiresAtMs.set(accessToken, Date.now() + ttl * 1000);
		this.liveRefreshTokens.add(refreshToken);
		this.tokens.issuedAccess.push(accessToken);
		this.tokens.issuedRefresh.push(refreshToken);
		return {
			access_token: accessToken,
			refresh_token: refreshToken,
			expires: Math.floor(Date.now() / 1000) + ttl,
			expires_in: ttl,
			client_endpoint: this.clientEndpoint ?? this.endpoints.restUrl,
			server_endpoint: this.endpoints.serverEndpoint,
			domain: '127.0.0.1',
			member_id: 'fa4e0000000000000000000000000001',
			scope: this.config.scopes.join(','),
			user_id: 1,
			status: 'L',
			token_type: 'bearer',
		};
	}
}

/** Authorization: Basic base64(urlencode(id):urlencode(secret)) per RFC 6749 2.3.1. */
export function parseBasicCredentials(
	header: string | undefined,
): { clientId: string; clientSecret: string } | undefined {
	const match = /^Basic\s+(\S+)\s*$/i.exec(header ?? '');
	if (!match) return undefined;
	const decoded = Buffer.from(match[1], 'base64').toString('utf8');
	const colon = decoded.indexOf(':');
	if (colon < 0) return undefined;
	const unescape = (text: string): string => {
		try {
			return decodeURIComponent(text.replace(/\+/g, ' '));
		} catch {
			return text;
		}
	};
	return {
		clientId: unescape(decoded.slice(0, colon)),
		clientSecret: unescape(decoded.slice(colon + 1)),
	};
}
