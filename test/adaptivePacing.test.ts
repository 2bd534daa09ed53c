/**
 * Adaptive pacing through real n8n-core execution: after a 503 QUERY_LIMIT_EXCEEDED (another
 * client spent the portal's bucket), the node's own pace slows down to its reduced share of the
 * plan's rate. What is asserted is what the fake portal received, and when.
 */
import { RATE_DECREASE_FACTOR } from '../nodes/Bitrix24/transport/adaptiveRate';
import { RATE_PLANS } from '../nodes/Bitrix24/transport/leakyBucket';
import { pacerForPortal } from '../nodes/Bitrix24/transport/pacer';
import { startFakePortal } from './fakePortal';
import type { FakePortal } from './fakePortal';
import { fromItem, sendParameters, webhookCredentials } from './harness/fixtures';
import { runBitrix24 } from './harness/runWorkflow';

let portal: FakePortal;

beforeEach(async () => {
	portal = await startFakePortal();
});

afterEach(async () => {
	await portal.close();
});

it('after a refusal the next batches go at the reduced share of the rate, and every message arrives once', async () => {
	portal.inject({ kind: 'queryLimit', method: 'batch', times: 1 });
	const items = Array.from({ length: 150 }, (_, index) => ({ text: `message ${index}` }));
	const result = await runBitrix24({
		credentials: webhookCredentials(portal),
		items,
		parameters: sendParameters({
			dialogId: { __rl: true, mode: 'id', value: 'chat1' },
			message: fromItem('text'),
			options: { ratePlan: 'standard' },
		}),
	});

	expect(result.status).toBe('success');
	expect(portal.messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
	const requests = portal.httpRequests.filter((request) => request.path.startsWith('/rest/'));
	expect(requests.map((request) => request.status)).toEqual([503, 200, 200, 200]);

	// The standard plan drains 2 requests/s: 500 ms apart once the bucket is full. After the
	// refusal this process takes half of that rate, so its requests go about 1 s apart.
	const reducedIntervalMs = 1000 / (RATE_PLANS.standard.drainPerSecond * RATE_DECREASE_FACTOR);
	const gaps = requests.slice(2).map((request, index) => request.at - requests[index + 1].at);
	for (const gapMs of gaps) expect(gapMs).toBeGreaterThanOrEqual(reducedIntervalMs * 0.9);
	const share = pacerForPortal(new URL(portal.url).origin, RATE_PLANS.standard).currentShare;
	expect(share).toBeGreaterThanOrEqual(RATE_DECREASE_FACTOR);
	expect(share).toBeLessThan(1);
});
