import { runBitrix24 } from './harness/runWorkflow';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

describe.each([true, false])('Bitrix24 errors become node failures (batching %s)', (batching) => {
	const run = (overrides = {}) =>
		runBitrix24({
			credentials: webhookCredentials(portal()),
			// Two items, so that batching really goes through Bitrix24's batch method.
			items: [{}, {}],
			parameters: sendParameters({ options: { batching }, ...overrides }),
		});

	it('ACCESS_ERROR carries the code, description and HTTP status', async () => {
		portal().inject({ kind: 'error', code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 });
		const result = await run();
		expect(result.status).toBe('error');
		// Bitrix24's code and description are the title; the hint is the description, said once.
		expect(result.error?.message).toBe('ACCESS_ERROR: Action unavailable (HTTP 403)');
		expect(result.error?.description).toBe('The Bitrix24 user behind the credential may not post in this chat.');
		expect(result.error?.name).toBe('NodeApiError');
		// n8n's error details ("From Bitrix24") list Bitrix24's code and description, not only the status.
		expect(result.error?.messages).toEqual(['ACCESS_ERROR: Action unavailable']);
	});

	it("an unknown user is reported with the portal's code", async () => {
		const result = await run({ dialogId: { __rl: true, mode: 'id', value: '999999' } });
		expect(result.error?.message).toMatch(/^USER_NOT_FOUND: /);
	});

	it('a revoked webhook says to check or re-create it', async () => {
		portal().revokeWebhook();
		const result = await run();
		expect(result.error?.message).toMatch(/^INVALID_CREDENTIALS: .*\(HTTP 401\)$/);
		expect(result.error?.description).toMatch(
			/^Check the Bitrix24 credential: the webhook may have been deleted or re-created/,
		);
		expect(portal().messages).toHaveLength(0);
	});

	it('a webhook without the im scope says which scope to add', async () => {
		portal().setWebhookScopes(['user']);
		const result = await run();
		expect(result.error?.message).toMatch(/^insufficient_scope: .*\(HTTP 40[13]\)$/);
		expect(result.error?.description).toMatch(/^The webhook or application needs the "im" scope/);
	});

	it('NO_AUTH_FOUND says to check or re-create the webhook', async () => {
		portal().inject({
			kind: 'error',
			method: '*',
			code: 'NO_AUTH_FOUND',
			description: 'Wrong authorization data',
			status: 401,
		});
		const result = await run();
		expect(result.error?.message).toBe('NO_AUTH_FOUND: Wrong authorization data (HTTP 401)');
		expect(result.error?.description).toMatch(/^Check the Bitrix24 credential/);
	});

	it('an HTML 502 page from a proxy becomes a short error, not the HTML, and is not retried', async () => {
		portal().inject({ kind: 'html502', method: '*' });
		const result = await run();
		expect(result.error?.message).toMatch(
			/^NON_JSON_RESPONSE: Bitrix24 \(or a proxy in front of it\) answered HTTP 502 with text\/html/,
		);
		expect(result.error?.message).not.toContain('<html');
		expect(result.error?.description).toMatch(/may or may not have been delivered/);
		expect(result.error?.message).toMatch(/The message may or may not have been delivered; it was not retried$/);
		expect(portal().stats.httpRequests).toBe(1);
	});
});

it('an error body that comes with HTTP 200 is still a failure', async () => {
	portal().inject({ kind: 'error', code: 'ERROR_MESSAGE_CREATE', description: 'Error creating message', status: 200 });
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		parameters: sendParameters({ options: { batching: false } }),
	});
	expect(result.error?.message).toContain('ERROR_MESSAGE_CREATE: Error creating message (HTTP 200)');
});

it('an unreachable portal fails with a connection error', async () => {
	const closed = portal().url.replace(/:\d+$/, ':1');
	const result = await runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: `${closed}/rest/1/abc123/` } },
		parameters: sendParameters({ options: { maxRetryWaitSeconds: 1 } }),
	});
	// Said in words, with the host; the network code stays in the details.
	const host = closed.replace(/^https?:\/\//, '');
	expect(result.error?.message).toMatch(
		new RegExp(
			`^Could not connect to ${host.replace(/\./g, '\\.')}: is the portal address right and reachable from n8n\\?`,
		),
	);
	expect(result.error?.message).not.toContain('ECONNREFUSED');
	expect(result.error?.messages).toEqual([expect.stringMatching(/^ECONNREFUSED: /)]);
});
