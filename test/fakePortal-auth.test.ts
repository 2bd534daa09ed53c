/**
 * Webhook authentication, scopes, and the secret kept out of the request log.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { useFakePortal } from './harness/fixtures';
import { postJson, send } from './harness/portalHttp';

describe('fake Bitrix24 portal', () => {
	const portal = useFakePortal();

	describe('webhook auth', () => {
		it('refuses a wrong secret, a wrong user and a revoked webhook with 401 INVALID_CREDENTIALS', async () => {
			const wrongSecret = await postJson(`${portal().url}/rest/1/notTheSecret/im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			const wrongUser = await postJson(`${portal().url}/rest/2/fakeWebhookSecret0123/im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			portal().revokeWebhook();
			const revoked = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			for (const answer of [wrongSecret, wrongUser, revoked]) {
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({
					error: 'INVALID_CREDENTIALS',
					error_description: 'Invalid request credentials',
				});
			}
			expect(portal().messages).toHaveLength(0);
		});

		it('refuses a method outside the webhook scopes with insufficient_scope', async () => {
			portal().setWebhookScopes(['user']);
			const refused = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(refused.status).toBe(401);
			expect(refused.body.error).toBe('insufficient_scope');
			const scopes = await send(`${portal().webhookUrl}scope`);
			expect(scopes.body.result).toEqual(['user']);
		});

		it('logs raw requests without the webhook secret', async () => {
			await postJson(`${portal().webhookUrl}profile`, {});
			expect(portal().httpRequests).toHaveLength(1);
			expect(portal().httpRequests[0]).toMatchObject({
				method: 'POST',
				path: '/rest/1/***/profile',
				rawBody: '{}',
				status: 200,
			});
			expect(JSON.stringify(portal().httpRequests)).not.toContain('fakeWebhookSecret0123');
		});
	});
});
