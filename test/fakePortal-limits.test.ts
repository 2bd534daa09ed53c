/**
 * The leaky-bucket rate limit, injected latency, and closing while a request hangs.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { startFakePortal } from './fakePortal';
import { postJson, send } from './harness/portalHttp';

describe('fake Bitrix24 portal: rate limit', () => {
	it('refuses with 503 QUERY_LIMIT_EXCEEDED over capacity, runs nothing, then drains', async () => {
		// A slow drain (1 per second), so that a loaded machine taking long over each request still
		// meets a full bucket on the 4th or 5th.
		const portal = await startFakePortal({ rateLimit: { capacity: 3, drainPerSecond: 1 } });
		try {
			const statuses: number[] = [];
			for (let index = 0; index < 5; index++) {
				const answer = await postJson(`${portal.webhookUrl}im.message.add`, {
					DIALOG_ID: 1,
					MESSAGE: `m${index}`,
				});
				statuses.push(answer.status);
			}
			expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
			expect(statuses.slice(3)).toContain(503);
			expect(portal.messages.length).toBe(statuses.filter((status) => status === 200).length);
			await new Promise((resolve) => setTimeout(resolve, 1100));
			const afterDrain = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'later',
			});
			expect(afterDrain.status).toBe(200);
		} finally {
			await portal.close();
		}
	});

	it('counts one batch of 50 as one request', async () => {
		const portal = await startFakePortal({ rateLimit: { capacity: 1, drainPerSecond: 0.001 } });
		try {
			const cmd = Array.from({ length: 50 }, (_, index) => `im.message.add?DIALOG_ID=1&MESSAGE=${index}`);
			const batch = await postJson(`${portal.webhookUrl}batch`, { cmd });
			expect(batch.status).toBe(200);
			expect(portal.messages).toHaveLength(50);
			const next = await postJson(`${portal.webhookUrl}batch`, { cmd });
			expect(next.status).toBe(503);
			expect(portal.messages).toHaveLength(50);
		} finally {
			await portal.close();
		}
	});
});

describe('fake Bitrix24 portal: latency and close', () => {
	it('delays answers by latencyMs and closes while a request hangs', async () => {
		const portal = await startFakePortal({ latencyMs: 150 });
		const started = Date.now();
		await send(`${portal.webhookUrl}profile`);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		portal.inject({ kind: 'hang', method: 'profile' });
		const hung = fetch(`${portal.webhookUrl}profile`).then(
			(response) => `answered ${response.status}`,
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 250));
		const closeStarted = Date.now();
		await portal.close();
		expect(Date.now() - closeStarted).toBeLessThan(1000);
		expect(await hung).toBe('failed');
	});
});
