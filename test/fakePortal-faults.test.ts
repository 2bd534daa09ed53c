/**
 * Injected faults: limits, HTML 502, operating-time limit, error codes, dropped and hung connections.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { useFakePortal } from './harness/fixtures';
import { postJson } from './harness/portalHttp';

describe('fake Bitrix24 portal', () => {
	const portal = useFakePortal();

	describe('faults', () => {
		it('queryLimit refuses the whole request; nothing runs', async () => {
			portal().inject({ kind: 'queryLimit' });
			const refused = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(refused.status).toBe(503);
			expect(refused.body).toEqual({
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			});
			const retried = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(retried.status).toBe(200);
			expect(portal().messages).toHaveLength(1);
			expect(portal().stats.queryLimitRefusals).toBe(1);
		});

		it('html502 answers an HTML 502 without running the batch', async () => {
			portal().inject({ kind: 'html502' });
			const answer = await postJson(`${portal().webhookUrl}batch`, {
				cmd: ['im.message.add?DIALOG_ID=1&MESSAGE=x'],
			});
			expect(answer.status).toBe(502);
			expect(answer.contentType).toContain('text/html');
			expect(answer.text).toBe('<html>Bad gateway</html>');
			expect(portal().messages).toHaveLength(0);
		});

		it('operationTimeLimit answers 429 with operating_reset_at, and lands in result_error inside a batch', async () => {
			portal().inject({ kind: 'operationTimeLimit', resetAfterMs: 5000, times: 2 });
			const before = Date.now();
			const direct = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(direct.status).toBe(429);
			expect(direct.body.error).toBe('OPERATION_TIME_LIMIT');
			const resetAtMs = (direct.body.time as Record<string, number>).operating_reset_at * 1000;
			expect(resetAtMs).toBeGreaterThanOrEqual(before + 5000);
			expect(resetAtMs).toBeLessThan(Date.now() + 5000 + 50);
			const batch = await postJson(`${portal().webhookUrl}batch`, {
				cmd: { a: 'im.message.add?DIALOG_ID=1&MESSAGE=x' },
			});
			expect(batch.status).toBe(200);
			expect((batch.body.result as Record<string, Record<string, { error: string }>>).result_error.a.error).toBe(
				'OPERATION_TIME_LIMIT',
			);
			expect(portal().messages).toHaveLength(0);
			expect(portal().stats.operationTimeLimitRefusals).toBe(2);
		});

		it('error faults answer the given code and status', async () => {
			portal().inject({
				kind: 'error',
				code: 'ERROR_MESSAGE_CREATE',
				description: 'Error creating message',
				status: 400,
			});
			const answer = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: 'ERROR_MESSAGE_CREATE',
				error_description: 'Error creating message',
			});
		});

		it('dropAfterCreate creates the message, then cuts the connection', async () => {
			portal().inject({ kind: 'dropAfterCreate' });
			await expect(
				postJson(`${portal().webhookUrl}im.message.add`, { DIALOG_ID: 1, MESSAGE: 'maybe' }),
			).rejects.toThrow();
			expect(portal().messages.map((message) => message.message)).toEqual(['maybe']);
		});

		it('status500AfterCreate creates the message, then answers 500', async () => {
			portal().inject({ kind: 'status500AfterCreate' });
			const answer = await postJson(`${portal().webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'maybe',
			});
			expect(answer.status).toBe(500);
			expect(answer.body.error).toBe('INTERNAL_SERVER_ERROR');
			expect(portal().messages).toHaveLength(1);
		});

		it('hang creates the message and never answers', async () => {
			portal().inject({ kind: 'hang' });
			const hung = fetch(`${portal().webhookUrl}im.message.add`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ DIALOG_ID: 1, MESSAGE: 'slow' }),
				signal: AbortSignal.timeout(300),
			});
			await expect(hung).rejects.toThrow();
			expect(portal().messages).toHaveLength(1);
		});
	});
});
