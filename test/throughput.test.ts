/**
 * Throughput behaviour of the transport through real n8n-core execution:
 * batching gives the same results as sending one by one, halt semantics, result_error mapping,
 * safe retries (503, 429, connection refused) and no retry where a message may already exist.
 *
 * Every test starts its own fake portal. The node's client-side rate limiter is shared per portal
 * origin for the whole process, so a fresh portal (fresh port) also means a fresh, empty bucket:
 * one test's requests never slow the next one down.
 */
import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { createServer } from 'node:net';
import type { AddressInfo, Socket } from 'node:net';

import type { IDataObject, INodeExecutionData, NodeApiError } from 'n8n-workflow';

import type { FakePortal } from './fakePortal';
import { runBitrix24 } from './harness/runWorkflow';
import { outputJson, restRequests, sendItems, sendItemsParameters, useFreshPortals } from './harness/sendItems';
import type { SendItem } from './harness/sendItems';

const freshPortal = useFreshPortals();

// Passes the node's own check (a link starting with https://) but not the portal's, which wants a
// host after the scheme: the only block is dropped and the portal answers ATTACH_ERROR.
const ATTACH_THE_PORTAL_REJECTS = [{ LINK: { NAME: 'broken', LINK: 'https:// no-host' } }];
const VALID_ATTACH = { COLOR_TOKEN: 'primary', BLOCKS: [{ MESSAGE: 'Build [b]#42[/b] & done?' }, { DELIMITER: {} }] };

function validItems(count: number): SendItem[] {
	return Array.from({ length: count }, (_, index) => ({
		dialog: `chat${1 + (index % 7)}`,
		// Characters that the batch query encoding must carry unchanged.
		text: `item ${index}: a&b=c [b]ok[/b] 100% #${index} привет`,
	}));
}

/** 120 items, 3 batches: portal-side failures in every batch and one item the node itself rejects. */
function mixedItems(): SendItem[] {
	const items = validItems(120);
	items[5].attach = VALID_ATTACH;
	items[7].dialog = '999999'; // USER_NOT_FOUND (400)
	items[23].attach = ATTACH_THE_PORTAL_REJECTS; // ATTACH_ERROR (400)
	items[55].dialog = 'chat9999'; // ACCESS_ERROR (403), second batch
	items[61].text = ''; // rejected by the node before sending: never reaches the portal
	items[110].dialog = '77'; // USER_NOT_FOUND, third batch
	return items;
}

const EXPECTED_FAILURES: Record<number, string> = {
	7: 'USER_NOT_FOUND',
	23: 'ATTACH_ERROR',
	55: 'ACCESS_ERROR',
	61: 'INVALID_PARAMETER',
	110: 'USER_NOT_FOUND',
};

/** What the portal stored, without the fields that say how it arrived. */
const stored = (portal: FakePortal) =>
	portal.messages.map(({ id, dialogId, message, attach }) => ({ id, dialogId, message, attach }));

const paired = (items: INodeExecutionData[]) => items.map((item) => item.pairedItem);

/** The item index each im.message.add call carried, read back from its message text. */
const sentItemIndexes = (portal: FakePortal): number[] =>
	portal.calls
		.filter((call) => call.method === 'im.message.add')
		.map((call) => Number(/^item (\d+):/.exec(String(call.params.MESSAGE ?? call.params.message))?.[1]));

/** An output entry with its message link reduced to path and query. */
const linkPath = (entry: IDataObject): IDataObject =>
	typeof entry.link === 'string' ? { ...entry, link: entry.link.replace(/^https?:\/\/[^/]+/, '') } : entry;

describe('batching gives the same result as sending one by one (120 items, 3 batches)', () => {
	it.each(['continueRegularOutput', 'continueErrorOutput'] as const)(
		'with continue-on-fail (%s): same messages, order, outputs and errors',
		async (onError) => {
			const items = mixedItems();
			const oneByOne = await freshPortal();
			const batched = await freshPortal();
			const single = await sendItems(oneByOne, items, false, { onError });
			const batch = await sendItems(batched, items, true, { onError });

			// The reference run is itself right: every valid item stored once, in input order.
			const delivered = items.map((_, index) => index).filter((index) => !(index in EXPECTED_FAILURES));
			expect(oneByOne.messages.map((message) => message.message)).toEqual(delivered.map((index) => items[index].text));
			expect(oneByOne.messages[delivered.indexOf(5)].attach).toEqual(VALID_ATTACH);

			expect(batch.status).toBe('success');
			expect(stored(batched)).toEqual(stored(oneByOne));
			expect(batched.messages.every((message) => message.via === 'batch')).toBe(true);
			// Two portals, two ports: links are compared without their origin.
			expect(outputJson(batch.output).map(linkPath)).toEqual(outputJson(single.output).map(linkPath));
			expect(paired(batch.output)).toEqual(paired(single.output));
			expect(outputJson(batch.errorOutput)).toEqual(outputJson(single.errorOutput));
			expect(paired(batch.errorOutput)).toEqual(paired(single.errorOutput));

			// Batches run with halt=1, so that no later message overtakes one that must be resent:
			// each portal-side failure ends its batch and the rest goes in the next request
			// (0-49 stops at 7, 8-57 at 23, 24-73 at 55, 56-105, 106-119 at 110, 111-119).
			// 6 batch requests against 119 single requests (item 61 never leaves the node).
			expect(restRequests(batched).map((request) => request.path)).toEqual(
				Array.from({ length: 6 }, () => '/rest/1/***/batch.json'),
			);
			expect(restRequests(oneByOne)).toHaveLength(119);

			const failedIndexes = (onError === 'continueRegularOutput' ? batch.output : batch.errorOutput)
				.filter((item) => item.json.error !== undefined)
				.map((item) => (item.pairedItem as { item: number }).item);
			expect(failedIndexes).toEqual(Object.keys(EXPECTED_FAILURES).map(Number));
			if (onError === 'continueRegularOutput') {
				expect(batch.output).toHaveLength(120);
				const codes = Object.fromEntries(failedIndexes.map((index) => [index, batch.output[index].json.code]));
				expect(codes).toEqual(EXPECTED_FAILURES);
			} else {
				expect(batch.output).toHaveLength(115);
				expect(batch.errorOutput).toHaveLength(5);
			}
		},
	);

	it('without continue-on-fail: the same first error, the same messages, nothing after it sent', async () => {
		const items = mixedItems();
		items[61].text = 'item 61: valid again'; // a node-side rejection would stop both before sending
		const oneByOne = await freshPortal();
		const batched = await freshPortal();
		const single = await sendItems(oneByOne, items, false);
		const batch = await sendItems(batched, items, true);

		expect(single.status).toBe('error');
		expect(single.error?.message).toMatch(/^USER_NOT_FOUND: /);
		expect(batch.status).toBe('error');
		expect(batch.error?.message).toBe(single.error?.message);
		expect(batch.error?.description).toBe(single.error?.description);
		expect(stored(batched)).toEqual(stored(oneByOne));
		expect(batched.messages.map((message) => message.message)).toEqual(items.slice(0, 7).map((item) => item.text));
		// The failing item was tried, nothing after it.
		expect(sentItemIndexes(batched)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
		expect(sentItemIndexes(oneByOne)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
	});
});

describe('halt semantics across batch boundaries', () => {
	it('a failure in the 2nd batch stops the run: the 1st batch delivered, nothing after the failing item sent', async () => {
		const items = validItems(150);
		items[70].dialog = '999999';
		items[71].dialog = '888888'; // would fail too, but must never be tried
		const portal = await freshPortal();
		const result = await sendItems(portal, items, true);

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^USER_NOT_FOUND: User not found/);
		expect(portal.messages.map((message) => message.message)).toEqual(items.slice(0, 70).map((item) => item.text));
		expect(sentItemIndexes(portal)).toEqual(Array.from({ length: 71 }, (_, index) => index));
		// Two batch requests; the second asked the portal to halt at the first failure.
		const batches = restRequests(portal);
		expect(batches).toHaveLength(2);
		expect(JSON.parse(batches[1].rawBody).halt).toBe(1);
		expect(portal.calls.filter((call) => call.outcome === 'USER_NOT_FOUND')).toHaveLength(1);
	});
});

describe('result_error mapping', () => {
	it('each per-item error of a batch becomes a NodeApiError with its code and description', async () => {
		const items = validItems(4);
		items[1].dialog = '999999';
		items[3].dialog = 'chat9999';
		const portal = await freshPortal();
		const regular = await sendItems(portal, items, true, { onError: 'continueRegularOutput' });

		// halt=1: the batch stops at item 1, the rest goes in a second request that stops at item 3.
		expect(restRequests(portal)).toHaveLength(2);
		expect(outputJson(regular.output)).toMatchObject([
			{ messageId: portal.messages[0].id, dialogId: 'chat1' },
			{ error: 'USER_NOT_FOUND: User not found (HTTP 400)', code: 'USER_NOT_FOUND' },
			{ messageId: portal.messages[1].id, dialogId: 'chat3' },
			{ error: 'ACCESS_ERROR: Action unavailable (HTTP 403)', code: 'ACCESS_ERROR' },
		]);

		const routed = await sendItems(await freshPortal(), items, true, { onError: 'continueErrorOutput' });
		expect(paired(routed.errorOutput)).toEqual([{ item: 1 }, { item: 3 }]);
		// n8n rewrites an error-output item's json to {error: message} (WorkflowExecute.normalizeNodeErrors),
		// so there the code travels in the message and in the NodeApiError itself.
		expect(outputJson(routed.errorOutput)).toEqual([
			{ error: expect.stringMatching(/^USER_NOT_FOUND: User not found/) },
			{ error: expect.stringMatching(/^ACCESS_ERROR: Action unavailable/) },
		]);
		expect(
			routed.errorOutput.map((item) => {
				const error = item.error as NodeApiError;
				return [error.name, (error.errorResponse as IDataObject).error, error.context.itemIndex];
			}),
		).toEqual([
			['NodeApiError', 'USER_NOT_FOUND', 1],
			['NodeApiError', 'ACCESS_ERROR', 3],
		]);
	});

	it('without continue-on-fail the run fails with a NodeApiError carrying code, description and hint', async () => {
		const items = validItems(3);
		items[1].dialog = '999999';
		const portal = await freshPortal();
		const result = await sendItems(portal, items, true);

		expect(result.error?.name).toBe('NodeApiError');
		expect(result.error?.message).toBe('USER_NOT_FOUND: User not found (HTTP 400)');
		expect(result.error?.description).toBe('Check the dialog ID: no user has this ID on the portal.');
		expect(result.error?.context).toMatchObject({ itemIndex: 1 });
	});
});

describe('503 QUERY_LIMIT_EXCEEDED is retried', () => {
	it('a portal with a smaller bucket than the plan: every message once, in order, output complete', async () => {
		// The node believes the standard plan (burst 50); the portal refuses after 5 requests. It
		// drains 5/s, so requests quicker than 200 ms each (here a few ms) are sure to meet a 503.
		const portal = await freshPortal({ rateLimit: { capacity: 5, drainPerSecond: 5 } });
		const items = validItems(12);
		const result = await sendItems(portal, items, false, { options: { ratePlan: 'standard' } });

		expect(result.status).toBe('success');
		expect(portal.stats.queryLimitRefusals).toBeGreaterThan(0);
		expect(portal.messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
		expect(outputJson(result.output).map((entry) => entry.messageId)).toEqual(
			portal.messages.map((message) => message.id),
		);
		expect(restRequests(portal)).toHaveLength(12 + portal.stats.queryLimitRefusals);
		// Adaptive pacing: after the refusal the node sends at a quarter of the plan's rate
		// (2 halvings at once: it got 5 of the 50 requests it expected through), about 2 s apart.
	}, 30_000);

	it('refused batch requests are sent again: nothing lost, nothing twice', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'queryLimit', method: 'batch', times: 2 });
		const items = validItems(120);
		const result = await sendItems(portal, items, true);

		expect(result.status).toBe('success');
		expect(portal.stats.queryLimitRefusals).toBe(2);
		expect(restRequests(portal).map((request) => request.status)).toEqual([503, 503, 200, 200, 200]);
		expect(portal.messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
		expect(result.output).toHaveLength(120);
	});
});

describe('429 OPERATION_TIME_LIMIT is retried after operating_reset_at', () => {
	it('a single call: the retry waits for the reset and the message is delivered once', async () => {
		const portal = await freshPortal();
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 1200 });
		const result = await sendItems(portal, validItems(1), false);

		expect(result.status).toBe('success');
		const [refused, retry] = restRequests(portal);
		expect([refused.status, retry.status]).toEqual([429, 200]);
		// operating_reset_at = the moment the portal refused + 1200 ms, so at least 1200 ms after arrival.
		expect(retry.at).toBeGreaterThanOrEqual(refused.at + 1200);
		expect(portal.messages).toHaveLength(1);
	});

	it.each([false, true])(
		'inside a batch (continue-on-fail %s): only refused commands are resent, after the reset, nothing twice',
		async (continueOnFail) => {
			const portal = await freshPortal();
			const items = validItems(60);
			// The fault hits the first sub-call of the first batch (item 0).
			portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 1200 });
			const result = await sendItems(portal, items, true, continueOnFail ? { onError: 'continueRegularOutput' } : {});

			expect(result.status).toBe('success');
			expect(portal.stats.operationTimeLimitRefusals).toBe(1);
			const requests = restRequests(portal);
			const commandKeys = requests.map((request) => Object.keys((JSON.parse(request.rawBody) as { cmd: object }).cmd));
			expect(commandKeys[0]).toHaveLength(50);
			// Batches always run with halt=1: the portal ran nothing after the refused item 0, so the
			// whole first chunk goes again, and no later message overtakes it (continue-on-fail too).
			expect(commandKeys[1]).toEqual(Array.from({ length: 50 }, (_, index) => `c${index}`));
			expect(requests[1].at).toBeGreaterThanOrEqual(requests[0].at + 1200);

			// Every item delivered exactly once, and each output holds its own message.
			const texts = portal.messages.map((message) => message.message);
			expect(new Set(texts).size).toBe(60);
			expect([...texts].sort()).toEqual(items.map((item) => item.text).sort());
			const idByText = new Map(portal.messages.map((message) => [message.message, message.id]));
			expect(outputJson(result.output).map((entry) => entry.messageId)).toEqual(
				items.map((item) => idByText.get(item.text)),
			);
			expect(texts).toEqual(items.map((item) => item.text));
		},
	);
});

describe('no retry when the message may already exist', () => {
	it.each(['dropAfterCreate', 'status500AfterCreate', 'html502'] as const)(
		'%s: the item fails as "may or may not have been delivered", one request, no duplicate',
		async (kind) => {
			const portal = await freshPortal();
			portal.inject({ kind, method: kind === 'html502' ? '*' : 'im.message.add' });
			const result = await sendItems(portal, validItems(1), false);

			expect(result.status).toBe('error');
			expect(result.error?.description).toMatch(/may or may not have been delivered/);
			expect(restRequests(portal)).toHaveLength(1);
			// The portal created the message before failing (html502 answers before anything runs).
			expect(portal.messages).toHaveLength(kind === 'html502' ? 0 : 1);
		},
	);

	it.each([false, true])(
		'with continue-on-fail (batching %s): the uncertain item fails, later items are still sent',
		async (batching) => {
			const portal = await freshPortal();
			portal.inject({ kind: 'dropAfterCreate' });
			const items = validItems(batching ? 60 : 3);
			const result = await sendItems(portal, items, batching, { onError: 'continueRegularOutput' });

			expect(result.status).toBe('success');
			// A dropped batch answer makes every command in it uncertain (all 50 were in fact created).
			const uncertain = batching ? 50 : 1;
			expect(
				outputJson(result.output)
					.slice(0, uncertain)
					.every((entry) => /may or may not have been delivered/.test(String(entry.error))),
			).toBe(true);
			expect(result.output.slice(0, uncertain).map((item) => item.json.code)).toEqual(
				Array.from({ length: uncertain }, () =>
					expect.stringMatching(/^(ECONNRESET|UND_ERR_SOCKET|UNKNOWN_NETWORK_ERROR|E[A-Z_]+)$/),
				),
			);
			expect(result.output.slice(uncertain).every((item) => typeof item.json.messageId === 'number')).toBe(true);
			expect(result.output).toHaveLength(items.length);
			expect(portal.messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
			expect(restRequests(portal)).toHaveLength(batching ? 2 : 3);
		},
	);
});

describe('retry budget', () => {
	it.each([false, true])(
		'a portal that keeps refusing (batching %s) fails clearly within maxRetryWaitSeconds',
		async (batching) => {
			const portal = await freshPortal();
			portal.inject({ kind: 'queryLimit', method: '*', times: 1000 });
			const result = await sendItems(portal, validItems(batching ? 5 : 1), batching, {
				options: { maxRetryWaitSeconds: 2 },
			});

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(
				/^QUERY_LIMIT_EXCEEDED: Too many requests \(still refused after waiting \d+ s\)/,
			);
			expect(portal.messages).toHaveLength(0);
			// Waits of 0.5 s and 0.75 s fit the 2 s budget, the next 1.125 s would not: at most three
			// requests, whatever the machine's load (a slow machine leaves less budget, never more).
			const arrivals = restRequests(portal).map((request) => request.at);
			expect(arrivals.length).toBeGreaterThan(1);
			expect(arrivals.length).toBeLessThanOrEqual(3);
			// Each resend waited its back-off (timers never fire early by more than a millisecond).
			arrivals.slice(1).forEach((at, index) => expect(at - arrivals[index]).toBeGreaterThanOrEqual(499));
		},
	);

	it('the budget is per refusal, not per run: two separate 429s in different batches are both waited out', async () => {
		// Each 429 costs ~1.5 s (reset after 1 s + the 0.5 s margin): within a 2 s budget alone, not
		// together. One by one the budget is per call, so batching must not fail where that succeeds.
		// The batch halts at a refused command, so the portal runs exactly one im.message.add of
		// batch 1 (refused), then the 50 of its resend: the second fault lets those 50 through and
		// hits the first command of batch 2.
		const portal = await freshPortal();
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 1000 });
		portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 1000, skip: 50 });
		const items = validItems(60);
		const result = await sendItems(portal, items, true, { options: { maxRetryWaitSeconds: 2 } });

		const keysPerRequest = restRequests(portal).map(
			(request) => Object.keys((JSON.parse(request.rawBody) as { cmd: object }).cmd).length,
		);
		expect(keysPerRequest).toEqual([50, 50, 10, 10]);
		expect(portal.stats.operationTimeLimitRefusals).toBe(2);
		expect(result.error?.message).toBeUndefined();
		expect(portal.messages.map((message) => message.message)).toEqual(items.map((item) => item.text));
	}, 15_000);
});

describe('connection refused', () => {
	async function closedPort(): Promise<number> {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const { port } = server.address() as AddressInfo;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		return port;
	}

	/**
	 * Counts the connections to `port` that were refused, as Node's `net.client.socket` diagnostics
	 * channel reports every client socket: the tests wait for attempts, not for the clock.
	 */
	function watchRefusals(port: number): { count: () => number; next: () => Promise<void>; stop: () => void } {
		let refused = 0;
		let waiting: (() => void) | undefined;
		const onSocket = (message: unknown) => {
			const { socket } = message as { socket: Socket };
			socket.once('error', (error: NodeJS.ErrnoException & { port?: number }) => {
				if (error.code !== 'ECONNREFUSED' || error.port !== port) return;
				refused++;
				waiting?.();
			});
		};
		subscribe('net.client.socket', onSocket);
		return {
			count: () => refused,
			next: async () => await new Promise<void>((resolve) => (waiting = resolve)),
			stop: () => unsubscribe('net.client.socket', onSocket),
		};
	}

	it('is retried: a portal that comes up during the retries gets the message once', async () => {
		const port = await closedPort();
		const refusals = watchRefusals(port);
		try {
			const firstRefusal = refusals.next();
			const pending = runBitrix24({
				credentials: { bitrix24WebhookApi: { webhookUrl: `http://127.0.0.1:${port}/rest/1/fakeWebhookSecret0123/` } },
				items: validItems(1),
				parameters: sendItemsParameters(false),
			});
			await firstRefusal; // the node has tried and been refused; it comes back 0.5 s later
			const portal = await freshPortal({ port });
			const result = await pending;

			expect(refusals.count()).toBe(1);
			expect(result.status).toBe('success');
			expect(portal.messages).toHaveLength(1);
			expect(restRequests(portal)).toHaveLength(1);
		} finally {
			refusals.stop();
		}
	});

	it('fails after a few retries with a connection error', async () => {
		const port = await closedPort();
		const refusals = watchRefusals(port);
		try {
			const result = await runBitrix24({
				credentials: { bitrix24WebhookApi: { webhookUrl: `http://127.0.0.1:${port}/rest/1/abc123/` } },
				items: validItems(1),
				parameters: sendItemsParameters(false),
			});

			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(
				/^Could not connect to 127\.0\.0\.1:\d+: is the portal address right and reachable from n8n\?/,
			);
			// The first try and three retries (after 0.5, 0.75 and 1.125 s): the node tried, it did
			// not give up at once, and it did not keep trying.
			expect(refusals.count()).toBe(4);
		} finally {
			refusals.stop();
		}
	});
});
