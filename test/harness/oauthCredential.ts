import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { FAKE_CLIENT_CODE } from '../fakePortal';
import type { FakePortal } from '../fakePortal';

export const OAUTH_CLIENT_ID = 'local.fake.app';
/** The ID the test harness stores a credential of this type under (`cred-<type>`). */
export const OAUTH_STORED_AS = ['cred', 'bitrix24OAuth2Api'].join('-');

/** The consent step n8n's editor does: exchange an authorization code at the portal's token URL. */
export async function authorizationCodeGrant(portal: FakePortal): Promise<Record<string, unknown>> {
	const response = await fetch(portal.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams({
			grant_type: 'authorization_code',
			client_id: OAUTH_CLIENT_ID,
			client_secret: FAKE_CLIENT_CODE,
			code: portal.issueAuthorizationCode(),
		}).toString(),
	});
	const token = (await response.json()) as Record<string, unknown>;
	if (typeof token.access_token !== 'string') throw new Error('the fake portal issued no access token');
	return token;
}

/**
 * What n8n stores after the user clicks "Connect": the credential plus the first token pair,
 * obtained from the fake portal's token endpoint with an authorization code.
 */
export async function connectedOAuthCredential(portal: FakePortal): Promise<ICredentialDataDecryptedObject> {
	const token = await authorizationCodeGrant(portal);
	return {
		portalUrl: portal.url,
		clientId: OAUTH_CLIENT_ID,
		clientSecret: FAKE_CLIENT_CODE,
		accessTokenUrl: portal.tokenUrl,
		authUrl: `${portal.url}/oauth/authorize/`,
		grantType: 'authorizationCode',
		authentication: 'body',
		scope: '',
		oauthTokenData: token as ICredentialDataDecryptedObject['oauthTokenData'],
	};
}
