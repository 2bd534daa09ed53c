import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { TestCredentialStore } from './harness/credentialStore';
import { runBitrix24, searchInEditor } from './harness/runWorkflow';
import { registerTestFile } from './harness/testBinaryItemsNode';
import { sendParameters, useFakePortal } from './harness/fixtures';
import { connectedOAuthCredential, OAUTH_CLIENT_ID, OAUTH_STORED_AS } from './harness/oauthCredential';
import { FAKE_CLIENT_CODE } from './fakePortal';
import type { FakePortal } from './fakePortal';

const CLIENT_ID = OAUTH_CLIENT_ID;
/** Bitrix24 calls the client secret the application key. */
const APPLICATION_KEY = FAKE_CLIENT_CODE;
const CREDENTIAL_ID = OAUTH_STORED_AS;

const portal = useFakePortal();

async function tokenRequest(p: FakePortal, form: Record<string, string>): Promise<Record<string, unknown>> {
	const response = await fetch(p.tokenUrl, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
	});
	return (await response.json()) as Record<string, unknown>;
}

async function storeWithConnectedCredential(): Promise<TestCredentialStore> {
	const store = new TestCredentialStore();
	store.set(CREDENTIAL_ID, 'bitrix24OAuth2Api', await connectedOAuthCredential(portal()));
	return store;
}

const oauthParameters = (batching = true) => sendParameters({ authentication: 'oAuth2', options: { batching } });

describe.each([true, false])('OAuth2 (batching %s)', (batching) => {
	it('sends with the stored access token as a Bearer header to client_endpoint', async () => {
		const store = await storeWithConnectedCredential();
		const accessToken = String((store.get(CREDENTIAL_ID)?.oauthTokenData as Record<string, unknown>).access_token);
		const result = await runBitrix24({ store, parameters: oauthParameters(batching) });

		expect(result.error).toBeUndefined();
		expect(portal().messages).toMatchObject([{ dialogId: 'chat1', message: 'Hello from n8n', auth: 'oauth' }]);
		const restCalls = portal().httpRequests.filter((request) => request.path.startsWith('/rest/'));
		expect(restCalls).toHaveLength(1);
		expect(restCalls[0].headers.authorization).toBe(`Bearer ${accessToken}`);
		expect(restCalls[0].rawBody).not.toContain(accessToken);
	});

	it('an expired token is refreshed once, the call retried once, and the new pair persisted', async () => {
		const store = await storeWithConnectedCredential();
		const before = store.get(CREDENTIAL_ID)?.oauthTokenData as Record<string, unknown>;
		portal().expireAccessTokens();
		const grantsBefore = portal().tokens.refreshGrants;

		const first = await runBitrix24({ store, parameters: oauthParameters(batching), items: [{}, {}, {}] });
		expect(first.error).toBeUndefined();
		expect(portal().tokens.refreshGrants - grantsBefore).toBe(1);
		expect(portal().httpRequests.filter((request) => request.status === 401)).toHaveLength(1);
		expect(portal().messages).toHaveLength(3);
		const after = store.get(CREDENTIAL_ID)?.oauthTokenData as Record<string, unknown>;
		expect(after.access_token).not.toBe(before.access_token);
		expect(after.refresh_token).not.toBe(before.refresh_token);
		expect(store.tokenUpdates).toHaveLength(1);

		// The second run starts from the persisted pair and does not refresh again.
		const second = await runBitrix24({ store, parameters: oauthParameters(batching) });
		expect(second.error).toBeUndefined();
		expect(portal().tokens.refreshGrants - grantsBefore).toBe(1);
		expect(portal().messages).toHaveLength(4);
	});
});

describe('a failed refresh asks to reconnect, without any secret in the error', () => {
	it('invalid_grant: the stored refresh token was already spent', async () => {
		const store = await storeWithConnectedCredential();
		const stored = store.get(CREDENTIAL_ID) as ICredentialDataDecryptedObject;
		const tokenData = stored.oauthTokenData as Record<string, string>;
		// Someone else used the refresh token (rotation spends it), then the access token expires.
		await tokenRequest(portal(), {
			grant_type: 'refresh_token',
			client_id: CLIENT_ID,
			client_secret: APPLICATION_KEY,
			refresh_token: tokenData.refresh_token,
		});
		portal().expireAccessTokens();

		const result = await runBitrix24({ store, parameters: oauthParameters() });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/reconnect/i);
		expect(portal().messages).toHaveLength(0);
		const everything = JSON.stringify(result.run) + String(result.error?.message) + String(result.error?.description);
		for (const secret of [APPLICATION_KEY, tokenData.access_token, tokenData.refresh_token]) {
			expect(everything).not.toContain(secret);
		}
	});

	it('invalid_client: the client secret is wrong', async () => {
		const store = new TestCredentialStore();
		const credential = await connectedOAuthCredential(portal());
		const wrongKey = 'dummy-wrong-application-key-999';
		store.set(CREDENTIAL_ID, 'bitrix24OAuth2Api', { ...credential, clientSecret: wrongKey });
		portal().expireAccessTokens();

		const result = await runBitrix24({ store, parameters: oauthParameters() });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/reconnect the Bitrix24 credential/i);
		expect(JSON.stringify(result.run)).not.toContain(wrongKey);
		expect(portal().messages).toHaveLength(0);
	});
});

it('outputs and continue-on-fail errors never contain the tokens or the client secret', async () => {
	const store = await storeWithConnectedCredential();
	const tokenData = store.get(CREDENTIAL_ID)?.oauthTokenData as Record<string, string>;
	portal().inject({ kind: 'error', code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 });
	const result = await runBitrix24({
		store,
		parameters: oauthParameters(false),
		items: [{}, {}],
		onError: 'continueRegularOutput',
	});
	expect(result.output.map((item) => item.json.code ?? 'ok')).toEqual(['ACCESS_ERROR', 'ok']);
	const everything = JSON.stringify(result.run);
	for (const secret of [APPLICATION_KEY, tokenData.access_token, tokenData.refresh_token]) {
		expect(everything).not.toContain(secret);
	}
});

it('the chat picker works with the OAuth2 credential, refreshing an expired token too', async () => {
	const store = await storeWithConnectedCredential();
	portal().expireAccessTokens();
	const grantsBefore = portal().tokens.refreshGrants;
	const page = await searchInEditor('searchDialogs', { store, parameters: oauthParameters() });
	expect(page.results).toHaveLength(50);
	expect(portal().tokens.refreshGrants - grantsBefore).toBe(1);
	expect(store.tokenUpdates).toHaveLength(1);
});

describe('Send File over OAuth2', () => {
	it('refreshes an expired token and sends the same file body again, once', async () => {
		const store = await storeWithConnectedCredential();
		portal().expireAccessTokens();
		const bytes = Buffer.from('day,total\nmon,3\n');
		const result = await runBitrix24({
			store,
			binaryItems: [{ binary: { data: registerTestFile({ bytes, fileName: 'report.csv' }) } }],
			parameters: {
				authentication: 'oAuth2',
				operation: 'sendFile',
				dialogId: { __rl: true, mode: 'id', value: 'chat1' },
			},
		});
		expect(result.error).toBeUndefined();
		const uploads = portal().httpRequests.filter((request) => request.path.startsWith('/rest/'));
		expect(uploads.map((request) => request.status)).toEqual([401, 200]);
		expect(uploads[1].rawBody).toBe(uploads[0].rawBody);
		expect(portal().files.map((file) => file.bytes.toString())).toEqual([bytes.toString()]);
		expect(portal().messages).toMatchObject([{ dialogId: 'chat1', auth: 'oauth', files: [portal().files[0].diskId] }]);
	});
});
