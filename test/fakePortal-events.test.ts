/**
 * The fake portal's im.v2 event log must behave like the documented one, or the trigger's tests
 * prove nothing: subscription first, offset confirms for every reader, limit/hasMore paging,
 * 24-hour expiry of records and of unread subscriptions.
 */
import { useFakePortal } from './harness/fixtures';

const portal = useFakePortal();
const WEBHOOK_USER = 1;
const DAY_MS = 24 * 60 * 60 * 1000;

interface EventsAnswer {
	result?: {
		events: Array<{ eventId: number; type: string; date: string; data: Record<string, unknown> }>;
		nextOffset: number;
		hasMore: boolean;
	};
	error?: string;
}

async function call<T>(method: string, params: Record<string, unknown> = {}): Promise<T> {
	const response = await fetch(`${portal().webhookUrl}${method}.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(params),
		signal: AbortSignal.timeout(5000),
	});
	return (await response.json()) as T;
}

const get = async (params: Record<string, unknown> = {}) =>
	(await call<EventsAnswer>('im.v2.Event.get', params)).result!;
const post = (text: string, authorId = 2, dialogId = 'chat1') => portal().postMessage({ authorId, dialogId, text });

describe('fake Bitrix24 portal: im.v2 events', () => {
	it('records nothing before im.v2.Event.subscribe, and nothing from before it', async () => {
		post('before');
		expect((await get()).events).toEqual([]);
		expect(await call('im.v2.Event.subscribe')).toMatchObject({ result: true });
		post('after');
		const page = await get();
		expect(page.events.map((event) => (event.data.message as { text: string }).text)).toEqual(['after']);
		expect(page.events[0]).toMatchObject({
			type: 'ONIMV2MESSAGEADD',
			eventId: expect.any(Number),
			date: expect.any(String),
		});
		expect(page.nextOffset).toBe(page.events[0].eventId + 1);
		expect(page.hasMore).toBe(false);
	});

	it('im.message.add through the API creates an ONIMV2MESSAGEADD event authored by the webhook user', async () => {
		await call('im.v2.Event.subscribe');
		await call('im.message.add', { DIALOG_ID: 'chat5', MESSAGE: 'from the API' });
		const [event] = (await get()).events;
		expect(event.type).toBe('ONIMV2MESSAGEADD');
		expect(event.data).toMatchObject({
			message: { text: 'from the API', authorId: WEBHOOK_USER, chatId: 5, isSystem: false },
			chat: { id: 5, dialogId: 'chat5', type: 'chat' },
			user: { id: WEBHOOK_USER },
			language: 'en',
		});
	});

	it('pages with limit/hasMore, and an offset confirms (removes) everything below it', async () => {
		await call('im.v2.Event.subscribe');
		for (let index = 1; index <= 5; index++) post(`m${index}`);
		const first = await get({ limit: 2 });
		expect(first.events).toHaveLength(2);
		expect(first.hasMore).toBe(true);
		// Without an offset nothing is confirmed: the same page again.
		expect((await get({ limit: 2 })).events.map((event) => event.eventId)).toEqual(
			first.events.map((event) => event.eventId),
		);
		const second = await get({ limit: 2, offset: first.nextOffset });
		expect(second.events[0].eventId).toBe(first.nextOffset);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(3);
		const last = await get({ limit: 1000, offset: second.nextOffset });
		expect(last.events).toHaveLength(1);
		expect(last.hasMore).toBe(false);
		const empty = await get({ offset: last.nextOffset });
		expect(empty).toEqual({ events: [], nextOffset: last.nextOffset, hasMore: false });
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
	});

	it('clamps limit to 1..1000 (default 100)', async () => {
		await call('im.v2.Event.subscribe');
		for (let index = 1; index <= 1001; index++) post(`m${index}`);
		expect((await get()).events).toHaveLength(100);
		expect((await get({ limit: 5000 })).events).toHaveLength(1000);
		expect((await get({ limit: 0 })).events).toHaveLength(1);
	});

	it('a private message reaches only its two participants', async () => {
		await call('im.v2.Event.subscribe');
		post('private to 1 from 7', 7, String(WEBHOOK_USER));
		post('private between 7 and 8', 7, '8');
		const texts = (await get()).events.map((event) => (event.data.message as { text: string }).text);
		expect(texts).toEqual(['private to 1 from 7']);
	});

	it('records expire after 24 hours, and a subscription nobody reads for 24 hours lapses', async () => {
		await call('im.v2.Event.subscribe');
		post('old');
		portal().advanceClock(DAY_MS - 1000);
		post('fresh');
		expect((await get()).events).toHaveLength(2); // reading keeps the subscription alive
		portal().advanceClock(2000);
		expect((await get()).events.map((event) => (event.data.message as { text: string }).text)).toEqual(['fresh']);

		portal().advanceClock(DAY_MS + 1000);
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(false);
		post('not recorded');
		expect((await get()).events).toEqual([]);
	});

	it('unsubscribe stops recording and keeps what was recorded', async () => {
		await call('im.v2.Event.subscribe');
		post('kept');
		expect(await call('im.v2.Event.unsubscribe')).toMatchObject({ result: true });
		post('not recorded');
		expect((await get()).events.map((event) => (event.data.message as { text: string }).text)).toEqual(['kept']);
	});

	it('needs the im scope', async () => {
		portal().setWebhookScopes(['user']);
		expect(await call('im.v2.Event.subscribe')).toMatchObject({ error: 'insufficient_scope' });
	});
});
