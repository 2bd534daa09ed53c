/**
 * OAuth 2.0: token issue, client check, token use, refresh rotation, scopes.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { useFakePortal } from './harness/fixtures';
import { type Answer, postForm, postJson, send } from './harness/portalHttp';

describe('fake Bitrix24 portal', () => {
	const portal = useFakePortal();

	describe('OAuth', () => {
		async function authorize(): Promise<Record<string, unknown>> {
			const code = portal().issueAuthorizationCode();
			const answer = await postForm(
				portal().tokenUrl,
				`grant_type=authorization_code&client_id=local.fake.app&client_secret=fakeClientSecret0123&code=${code}`,
			);
			expect(answer.status).toBe(200);
			return answer.body;
		}

		it('issues tokens for a code once, with the documented fields', async () => {
			const code = portal().issueAuthorizationCode();
			const basic = 'Basic ' + Buffer.from('local.fake.app:fakeClientSecret0123').toString('base64');
			const first = await postForm(portal().tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: basic,
			});
			expect(first.body).toMatchObject({
				expires_in: 3600,
				client_endpoint: portal().restUrl,
				server_endpoint: `${portal().url}/oauth/rest/`,
				scope: 'im',
				user_id: 1,
				token_type: 'bearer',
			});
			expect(first.body.access_token).toBe(portal().tokens.issuedAccess[0]);
			const reused = await postForm(portal().tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: basic,
			});
			expect(reused.status).toBe(400);
			expect(reused.body.error).toBe('invalid_grant');
		});

		it('rejects a wrong client: 401 with Basic, 400 in the body', async () => {
			const code = portal().issueAuthorizationCode();
			const basic = await postForm(portal().tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: 'Basic ' + Buffer.from('local.fake.app:wrong').toString('base64'),
			});
			const inBody = await send(
				`${portal().tokenUrl}?grant_type=authorization_code&client_id=x&client_secret=y&code=${code}`,
			);
			expect([basic.status, basic.body.error]).toEqual([401, 'invalid_client']);
			expect([inBody.status, inBody.body.error]).toEqual([400, 'invalid_client']);
		});

		it('accepts the token as the auth parameter or a Bearer header; none, unknown and expired fail', async () => {
			const tokens = await authorize();
			const viaParam = await postJson(`${portal().restUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'a',
				auth: tokens.access_token,
			});
			const viaHeader = await postJson(
				`${portal().restUrl}im.message.add.json`,
				{ DIALOG_ID: 1, MESSAGE: 'b' },
				{
					authorization: `Bearer ${String(tokens.access_token)}`,
				},
			);
			expect([viaParam.status, viaHeader.status]).toEqual([200, 200]);
			expect(portal().messages.map((message) => message.auth)).toEqual(['oauth', 'oauth']);
			expect(portal().calls[0].params).not.toHaveProperty('auth');

			const none = await postJson(`${portal().restUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'c',
			});
			const unknown = await send(`${portal().restUrl}profile?auth=nope`);
			portal().expireAccessTokens();
			const expired = await send(`${portal().restUrl}profile?auth=${String(tokens.access_token)}`);
			expect([none.status, none.body.error]).toEqual([401, 'NO_AUTH_FOUND']);
			expect([unknown.status, unknown.body.error]).toEqual([401, 'invalid_token']);
			expect([expired.status, expired.body.error]).toEqual([401, 'expired_token']);
		});

		it('rotates refresh tokens: a used one is spent', async () => {
			const tokens = await authorize();
			const refresh = (token: unknown): Promise<Answer> =>
				send(
					`${portal().tokenUrl}?grant_type=refresh_token&client_id=local.fake.app&client_secret=fakeClientSecret0123&refresh_token=${String(token)}`,
				);
			const renewed = await refresh(tokens.refresh_token);
			expect(renewed.status).toBe(200);
			expect(renewed.body.refresh_token).not.toBe(tokens.refresh_token);
			const again = await refresh(tokens.refresh_token);
			expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
			const next = await refresh(renewed.body.refresh_token);
			expect(next.status).toBe(200);
			expect(portal().tokens.refreshGrants).toBe(2);
			const works = await send(`${portal().restUrl}scope?auth=${String(next.body.access_token)}`);
			expect(works.body.result).toEqual(['im']);
		});

		it('refuses a method outside the token scopes', async () => {
			const tokens = await authorize();
			const answer = await send(`${portal().restUrl}user.search?auth=${String(tokens.access_token)}`);
			expect([answer.status, answer.body.error]).toEqual([401, 'insufficient_scope']);
		});
	});
});
