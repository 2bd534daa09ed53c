/**
 * The transport against what Bitrix24's server really does with a batch, and with answers that
 * are not its envelope: reference substitution, partial answers, Retry-After, per-command reset
 * times, PHP's max_input_vars, order under continue-on-fail, the retry budget and Stop.
 * Every test runs the node through real n8n-core execution against its own fake portal.
 */
import type { FakePortal } from './fakePortal';
import { outputJson, restRequests, sendItems, useFreshPortals } from './harness/sendItems';
import type { SendItem } from './harness/sendItems';

const freshPortal = useFreshPortals();

function validItems(count: number): SendItem[] {
	return Array.from({ length: count }, (_, index) => ({
		dialog: `chat${1 + (index % 7)}`,
		text: `item ${index}: привет`,
	}));
}

const texts = (portal: FakePortal) => portal.messages.map((message) => message.message);

describe('batch references never rewrite user text', () => {
	it('text, a whole value and an attachment holding $result[..] / $time[..] arrive unchanged, in order', async () => {
		const portal = await freshPortal();
		const items = validItems(11);
		items[3].text = 'Order $result[c0], please check';
		items[7].text = '$time[c1]';
		items[8].attach = [{ MESSAGE: 'see $RESULT[c0][x] and $Error[c3]' }];
		const result = await sendItems(portal, items, true, { onError: 'continueRegularOutput' });

		expect(result.status).toBe('success');
		expect(outputJson(result.output).every((entry) => typeof entry.messageId === 'number')).toBe(true);
		expect(texts(portal)).toEqual(items.map((item) => item.text));
		expect(portal.messages[8].attach).toEqual(items[8].attach);
		// The plain items still travel in batches; the ones with references go alone, in place.
		expect(restRequests(portal).map((request) => request.path.replace(/^.*\//, ''))).toEqual([
			'batch.json',
			'im.message.add.json',
			'batch.json',
			'im.message.add.json',
			'im.message.add.json',
			'batch.json',
		]);
	});
});

describe('a batch answer that leaves commands out', () => {
	it.each([false, true])(
		'missing entries are uncertain deliveries, never resent (continue-on-fail %s)',
		async (continueOnFail) => {
			const portal = await freshPortal();
			portal.inject({ kind: 'batchPartialAnswer', method: 'batch' });
			const items = validItems(50);
			const result = await sendItems(portal, items, true, continueOnFail ? { onError: 'continueRegularOutput' } : {});

			// The portal ran all 50; the node must not post 49 of them a second time.
			expect(restRequests(portal)).toHaveLength(1);
			expect(texts(portal)).toEqual(items.map((item) => item.text));
			if (continueOnFail) {
				expect(result.output).toHaveLength(50);
				expect(result.output[0].json.messageId).toBe(portal.messages[0].id);
				expect(
					outputJson(result.output)
						.slice(1)
						.every((entry) => /may or may not have been delivered/.test(String(entry.error))),
				).toBe(true);
			} else {
				expect(result.status).toBe('error');
				expect(result.error?.message).toMatch(/may or may not have been delivered/);
				expect(result.error?.context).toMatchObject({ itemIndex: 1 });
			}
		},
	);
});

describe('Retry-After', () => {
	it('a 503 with Retry-After is retried no earlier than it says', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'queryLimit', method: '*', retryAfterSeconds: 2 });
		const result = await sendItems(portal, validItems(1), false);

		expect(result.status).toBe('success');
		const [refused, retry] = restRequests(portal);
		expect(retry.at - refused.at).toBeGreaterThanOrEqual(2000);
		expect(portal.messages).toHaveLength(1);
	}, 10_000);
});

describe("answers that are not Bitrix24's envelope", () => {
	it('a JSON 5xx without error is an uncertain delivery, not retried', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'jsonAnswer', method: '*', status: 502, body: { status: 'bad gateway' } });
		const result = await sendItems(portal, validItems(1), false);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/may or may not have been delivered/);
		expect(restRequests(portal)).toHaveLength(1);
	});

	it('a 200 without result is an uncertain delivery, not a success with no message ID', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'jsonAnswerAfterCreate', status: 200, body: { time: { start: 1 } } });
		const result = await sendItems(portal, validItems(1), false);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/may or may not have been delivered/);
		expect(portal.messages).toHaveLength(1);
	});

	it('a JSON 429 without error is retried as a rate-limit refusal', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'jsonAnswer', method: '*', status: 429, body: {} });
		const result = await sendItems(portal, validItems(1), false);

		expect(result.status).toBe('success');
		expect(restRequests(portal).map((request) => request.status)).toEqual([429, 200]);
		expect(portal.messages).toHaveLength(1);
	});

	it('INTERNAL_SERVER_ERROR inside a batch says "may or may not have been delivered", as unbatched', async () => {
		const single = await freshPortal();
		single.inject({ kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500 });
		const batched = await freshPortal();
		batched.inject({ kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500 });
		const items = validItems(3);
		const alone = await sendItems(single, items, false, { onError: 'continueRegularOutput' });
		const inBatch = await sendItems(batched, items, true, { onError: 'continueRegularOutput' });

		expect(String(alone.output[0].json.error)).toMatch(/may or may not have been delivered/);
		expect(outputJson(inBatch.output)[0]).toEqual(outputJson(alone.output)[0]);
		expect(texts(batched)).toEqual(texts(single));
	});
});

describe('PHP max_input_vars', () => {
	it('a command with more than ~900 query variables is not cut by a portal that keeps 1000', async () => {
		const portal = await freshPortal({ maxInputVars: 1000 });
		const grid = Array.from({ length: 400 }, (_, index) => ({
			DISPLAY: 'LINE',
			NAME: `row ${index}`,
			VALUE: `value ${index}`,
		}));
		const items = validItems(3);
		items[1].attach = [{ GRID: grid }];
		const result = await sendItems(portal, items, true);

		expect(result.status).toBe('success');
		expect(texts(portal)).toEqual(items.map((item) => item.text));
		expect(portal.messages[1].attach).toEqual(items[1].attach);
	});
});

describe('order and waits under refusals inside a batch', () => {
	it('continue-on-fail: a refused command is resent before anything after it runs, so a chat keeps its order', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 800 });
		const items = validItems(60);
		const result = await sendItems(portal, items, true, { onError: 'continueRegularOutput' });

		expect(result.status).toBe('success');
		expect(texts(portal)).toEqual(items.map((item) => item.text));
		expect(outputJson(result.output).map((entry) => entry.messageId)).toEqual(
			portal.messages.map((message) => message.id),
		);
	});

	it("the refused command's own result_time tells when to retry (the batch's time is 10 minutes away)", async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 800 });
		const started = Date.now();
		const result = await sendItems(portal, validItems(5), true, { options: { maxRetryWaitSeconds: 30 } });

		expect(result.status).toBe('success');
		expect(Date.now() - started).toBeLessThan(5000);
		const [first, second] = restRequests(portal);
		expect(second.at - first.at).toBeGreaterThanOrEqual(800);
	}, 10_000);

	it('Max Retry Wait holds across a refused batch and its resend (2 s budget, 2.75 s of refusals)', async () => {
		const portal = await freshPortal();
		// Two 503s for the whole batch (0.5 s + 0.75 s), then a 429 on its first command (~1.5 s).
		portal.inject({ kind: 'queryLimit', method: 'batch', times: 2 });
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 1000 });
		const started = Date.now();
		const result = await sendItems(portal, validItems(5), true, { options: { maxRetryWaitSeconds: 2 } });

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^OPERATION_TIME_LIMIT: .*still refused after waiting 1 s/);
		expect(Date.now() - started).toBeLessThan(2000 + 500);
		expect(portal.messages).toHaveLength(0);
	}, 10_000);
});

describe('Stop', () => {
	it('ends a retry wait promptly instead of sleeping it out', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 60_000 });
		const started = Date.now();
		await sendItems(portal, validItems(1), false, { cancelAfterMs: 300 });

		expect(Date.now() - started).toBeLessThan(3000);
		expect(restRequests(portal)).toHaveLength(1);
		expect(portal.messages).toHaveLength(0);
	}, 10_000);
});
