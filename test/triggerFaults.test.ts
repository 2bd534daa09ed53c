/**
 * The faults a review of the polling trigger found (events lost or doubled), each against the
 * listening trigger in n8n-core, with the fake portal confirming and deleting as Bitrix24 does.
 */
import { RENEW_SUBSCRIPTION_EVERY_MS } from '../nodes/Bitrix24Trigger/listen';
import { forgetAllQueueOwners } from '../nodes/shared/listening/queueOwners';
import { startFakePortal } from './fakePortal';
import type { FakePortal } from './fakePortal';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';
import { expectEachOnce, useListeningTriggers } from './harness/runTrigger';
import { runBitrix24 } from './harness/runWorkflow';

const portal = useFakePortal();
jest.setTimeout(60_000);
const WEBHOOK_USER = 1;

const trigger = useListeningTriggers(portal);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const callsOf = (method: string, on: FakePortal = portal()) =>
	on.calls.filter((call) => call.method === method.toLowerCase());

/** A subscription with `count` messages waiting, written while no trigger ran. */
async function backlog(count: number, dialogs = ['chat3']): Promise<string[]> {
	const subscribed = await trigger().activate();
	await subscribed.close();
	forgetAllQueueOwners();
	const texts: string[] = [];
	for (let index = 1; index <= count; index++) {
		const text = `m${index}`;
		portal().postMessage({ authorId: 2, dialogId: dialogs[index % dialogs.length], text });
		texts.push(text);
	}
	return texts;
}

describe('Bitrix24 Trigger faults', () => {
	it('a crash after the next page was requested, while executions still run, loses nothing of 1,501 events', async () => {
		const texts = await backlog(1501, ['chat1', 'chat2', 'chat3', 'chat4']);
		const first = trigger();
		first.executionEnd = 'by test';
		await first.activate('init');
		await first.waitForExecutions(4);
		// Two executions finish; the others still run while the loop reads on (the next page).
		first.executions[0].finish();
		first.executions[1].finish();
		const readsBefore = callsOf('im.v2.Event.get').length;
		while (callsOf('im.v2.Event.get').length < readsBefore + 2) await sleep(50);
		const finishedBeforeCrash = first.executions
			.filter((execution) => execution.finished)
			.map((execution) => String(execution.item.text));
		await first.kill();

		const restarted = trigger();
		await restarted.activate('init');
		await restarted.waitForExecutions(1501 - finishedBeforeCrash.length, 30_000);
		await sleep(2500);
		const delivered = new Set([...finishedBeforeCrash, ...restarted.texts()]);
		expect(texts.filter((text) => !delivered.has(text))).toEqual([]);
		expect(restarted.texts().length).toBe(new Set(restarted.texts()).size);
	});

	it('the same trigger activated again before its first activation closed does not double a 1,500-event backlog', async () => {
		const texts = await backlog(1500, ['chat1', 'chat2', 'chat3']);
		const first = trigger();
		await first.activate('init');
		await first.waitForExecutions(300);
		const again = trigger();
		await again.activate('update');
		await again.waitForExecutions(1500 - first.executions.length, 30_000);
		await sleep(4500);
		expectEachOnce([first, again], texts);
	});

	it('an answer that says hasMore but does not move the offset is not read again and again', async () => {
		const subscribed = await trigger().activate();
		await subscribed.close();
		forgetAllQueueOwners();
		for (const text of ['one', 'two', 'three']) portal().postMessage({ authorId: 2, dialogId: 'chat1', text });
		const events = portal()
			.pendingEvents(WEBHOOK_USER)
			.map(({ eventId, type, date, data }) => ({ eventId, type, date, data }));
		portal().inject({
			method: 'im.v2.event.get',
			kind: 'jsonAnswer',
			status: 200,
			body: { result: { events, nextOffset: events[0].eventId, hasMore: true } },
			times: 20,
		});
		const readsBefore = callsOf('im.v2.Event.get').length;
		const active = trigger();
		await active.activate('init');
		await sleep(8000);
		expect(active.texts()).toEqual(['one', 'two', 'three']);
		// Reads at the 2 s check interval, not one after another.
		expect(callsOf('im.v2.Event.get').length - readsBefore).toBeLessThanOrEqual(5);
	});

	it('a subscription another app removed is renewed, so later messages come again', async () => {
		const active = await trigger().activate();
		await fetch(`${portal().webhookUrl}im.v2.Event.unsubscribe.json`, { method: 'POST' });
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(false);
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'lost: nobody was subscribed' });

		const subscribesBefore = callsOf('im.v2.Event.subscribe').length;
		const realNow = Date.now.bind(Date);
		const clock = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + RENEW_SUBSCRIPTION_EVERY_MS + 1000);
		try {
			const deadline = realNow() + 10_000;
			while (!portal().isSubscribed(WEBHOOK_USER) && realNow() < deadline) await sleep(50);
		} finally {
			clock.mockRestore();
		}
		expect(callsOf('im.v2.Event.subscribe').length).toBe(subscribesBefore + 1);
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'heard again' });
		await active.waitForExecutions(1);
		expect(active.texts()).toEqual(['heard again']);
	});

	it('a backlog of 1,500 events comes exactly once through a restart of n8n', async () => {
		const texts = await backlog(1500, ['chat1', 'chat2', 'chat3', 'chat4']);
		const before = trigger();
		await before.activate('init');
		await before.waitForExecutions(700, 30_000);
		await before.close();
		forgetAllQueueOwners();

		const after = trigger();
		await after.activate('init');
		await after.waitForExecutions(1500 - before.executions.length, 30_000);
		await sleep(4500);
		expectEachOnce([before, after], texts);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
	});
});

describe('Bitrix24 Trigger request cost', () => {
	it('an idle trigger at the default interval reads 0.2 times a second', async () => {
		const active = await trigger({ parameters: { checkEverySeconds: undefined } }).activate();
		await sleep(500);
		const readsAtStart = callsOf('im.v2.Event.get').length;
		await sleep(15_000);
		const perSecond = (callsOf('im.v2.Event.get').length - readsAtStart) / 15;
		expect(perSecond).toBeGreaterThanOrEqual(0.15);
		expect(perSecond).toBeLessThanOrEqual(0.2);
		expect(active.executions).toHaveLength(0);
	});

	it('a busy Bitrix24 node and the trigger share one pacing at the real limits: neither is refused', async () => {
		const limited = await startFakePortal({ rateLimit: { capacity: 50, drainPerSecond: 2 } });
		try {
			const active = await trigger({ workflowId: 'limited' }, limited).activate();
			const sending = runBitrix24({
				credentials: webhookCredentials(limited),
				items: Array.from({ length: 70 }, (_, index) => ({ text: `busy ${index}` })),
				parameters: sendParameters({ message: '={{ $json.text }}', options: { batching: false } }),
			});
			await sleep(3000);
			limited.postMessage({ authorId: 2, dialogId: 'chat1', text: 'while the node is busy' });
			const sent = await sending;
			await active.waitForExecutions(1, 20_000);
			expect(sent.error).toBeUndefined();
			expect(sent.output).toHaveLength(70);
			expect(active.texts()).toEqual(['while the node is busy']);
			expect(limited.calls.filter((call) => call.outcome === 'QUERY_LIMIT_EXCEEDED')).toEqual([]);
			await active.close();
		} finally {
			await limited.close();
		}
	});
});
