/**
 * OAuth 2.0 in real n8n: when the portal answers 401 expired_token, n8n refreshes the token pair
 * through the credential's token URL, retries, and persists the new pair. Bitrix24 rotates
 * refresh tokens (a used one is spent), so a run that did not persist the new pair would fail
 * on the next refresh: the third run below proves the persisted pair is the one in use.
 */
import {
	OAUTH2_CREDENTIAL_TYPE,
	SEND_NODE_NAME,
	oauth2Credential,
	sendMessageWorkflow,
} from '../../scripts/lib/bitrix24Fixtures';
import type { CredentialFixture, OAuth2TokenData } from '../../scripts/lib/bitrix24Fixtures';
import { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import { FAKE_CLIENT_CODE, startFakePortal } from '../fakePortal';
import { authorizationCodeGrant, OAUTH_CLIENT_ID } from '../harness/oauthCredential';
import type { FakePortal } from '../fakePortal';
import { readE2eContext } from './e2eContext';

const WORKFLOW_ID = 'e2eOAuth2Refresh';

let portal: FakePortal;
let n8n: HeadlessN8n;
let credential: CredentialFixture;
let firstTokens: OAuth2TokenData;

async function storedTokens(): Promise<OAuth2TokenData> {
	const stored = await n8n.exportCredential(credential.id);
	expect(stored.type).toBe(OAUTH2_CREDENTIAL_TYPE);
	return stored.data.oauthTokenData as OAuth2TokenData;
}

async function sendOnce(expectedText: string): Promise<void> {
	const { command, run } = await n8n.execute(WORKFLOW_ID);
	assertExitCode(command, (code) => code === 0, '0');
	const delivered = portal.messages.at(-1);
	expect(delivered).toEqual(expect.objectContaining({ dialogId: 'chat1', message: expectedText, auth: 'oauth' }));
	expect(nodeOutputItems(run!, SEND_NODE_NAME)).toMatchObject([{ messageId: delivered!.id, dialogId: 'chat1' }]);
}

beforeAll(async () => {
	portal = await startFakePortal();
	n8n = await HeadlessN8n.create(readE2eContext());
	firstTokens = (await authorizationCodeGrant(portal)) as OAuth2TokenData;
	credential = oauth2Credential('e2eOAuth2Cred001', 'Bitrix24 e2e OAuth2', {
		portalUrl: portal.url,
		accessTokenUrl: portal.tokenUrl,
		clientId: OAUTH_CLIENT_ID,
		clientSecret: FAKE_CLIENT_CODE,
		tokenData: firstTokens,
	});
	await n8n.importCredentials([credential]);
	await n8n.importWorkflows([
		sendMessageWorkflow({
			id: WORKFLOW_ID,
			name: 'e2e: OAuth2 send',
			credential,
			dialogId: 'chat1',
			message: 'Sent with OAuth2',
		}),
	]);
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

test('an expired access token is refreshed once, the message is sent, and the new token pair is persisted', async () => {
	portal.expireAccessTokens();

	await sendOnce('Sent with OAuth2');

	expect(portal.tokens.refreshGrants).toBe(1);
	const persisted = await storedTokens();
	expect(persisted.refresh_token).toBe(portal.tokens.issuedRefresh.at(-1));
	expect(persisted.access_token).toBe(portal.tokens.issuedAccess.at(-1));
	expect(persisted.refresh_token).not.toBe(firstTokens.refresh_token);
	// The refreshed call carried the new token, not the expired one.
	const restCalls = portal.httpRequests.filter((request) => request.path.startsWith('/rest/'));
	expect(restCalls.map((request) => request.status)).toEqual([401, 200]);
});

test('a still-valid persisted token is used as is: no refresh', async () => {
	await sendOnce('Sent with OAuth2');
	expect(portal.tokens.refreshGrants).toBe(1);
});

test('the next expiry refreshes with the persisted (rotated) refresh token', async () => {
	const before = await storedTokens();
	portal.expireAccessTokens();

	await sendOnce('Sent with OAuth2');

	expect(portal.tokens.refreshGrants).toBe(2);
	const after = await storedTokens();
	expect(after.refresh_token).not.toBe(before.refresh_token);
	expect(after.refresh_token).toBe(portal.tokens.issuedRefresh.at(-1));
});
