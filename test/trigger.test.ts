import { sleep } from 'n8n-workflow';
import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { forgetAllReaders } from '../nodes/Bitrix24Trigger/readerRegistry';
import { FAKE_CLIENT_CODE } from './fakePortal';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';
import { ActiveTrigger } from './harness/runPoll';
import type { TriggerOptions } from './harness/runPoll';
import { runBitrix24 } from './harness/runWorkflow';

const portal = useFakePortal();

// One portal for the whole file, so the client's per-portal bucket (Standard plan: burst 50,
// then 2 requests/s, slower still after a refusal) paces the later polls: a test may take seconds.
jest.setTimeout(30_000);
const WEBHOOK_USER = 1;

beforeEach(() => forgetAllReaders());

const trigger = (options: Partial<TriggerOptions> = {}) =>
	new ActiveTrigger({ credentials: webhookCredentials(portal()), ...options });

const items = ActiveTrigger.items;
const callsOf = (method: string) => portal().calls.filter((call) => call.method === method.toLowerCase());

/** An active trigger whose activation poll already ran (subscribed, at the end of the queue). */
async function activeTrigger(options: Partial<TriggerOptions> = {}): Promise<ActiveTrigger> {
	const active = trigger(options).activate();
	expect(await active.poll()).toBeNull();
	return active;
}

describe('Bitrix24 Trigger: activation', () => {
	it('subscribes on activation and does not replay events recorded before it', async () => {
		// A subscription left from an earlier activation has history waiting in the queue.
		await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'before activation' });
		forgetAllReaders();

		const active = trigger().activate('activate');
		expect(await active.poll()).toBeNull();
		expect(callsOf('im.v2.Event.subscribe').length).toBeGreaterThanOrEqual(2);
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(true);

		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'after activation' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['after activation']);
	});

	it('keeps the offset in the workflow static data', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'one' });
		const [item] = items(await active.poll());
		expect(active.staticData).toEqual({
			queue: `${portal().url}/user/1`,
			offset: Number(item.eventId) + 1,
			subscribedAt: expect.any(Number),
		});
	});

	it('a host that persists static data only when a poll emits (an empty activation poll lost) still skips nothing', async () => {
		const active = await activeTrigger();
		for (const key of Object.keys(active.staticData)) delete active.staticData[key];
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'first after activation' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['first after activation']);
	});

	it('after an n8n restart (activation "init") resumes from the saved offset and delivers what arrived meanwhile', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'while n8n was down' });
		const restarted = new ActiveTrigger({ credentials: webhookCredentials(portal()) });
		Object.assign(restarted.staticData, active.staticData);
		restarted.activate('init');
		expect(items(await restarted.poll()).map((item) => item.text)).toEqual(['while n8n was down']);
	});
});

describe('Bitrix24 Trigger: delivery', () => {
	it('outputs one flat item per new message, ready for a reply', async () => {
		const active = await activeTrigger();
		const posted = portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'Where is the report?' });

		const [item] = items(await active.poll());
		const pending = portal().pendingEvents(WEBHOOK_USER);
		expect(item).toEqual({
			event: 'messageAdd',
			eventId: pending[0].eventId,
			date: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+00:00$/),
			dialogId: 'chat1',
			chatId: 1,
			chatTitle: 'Отдел продаж',
			messageId: posted.id,
			text: 'Where is the report?',
			authorId: 2,
			authorName: 'Anna Петров',
			raw: pending[0].data,
		});
	});

	it('confirms delivered events by passing the last nextOffset on the next poll, and delivers each once', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'first' });
		portal().postMessage({ authorId: 3, dialogId: 'chat2', text: 'second' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['first', 'second']);
		const offsetAfterFirst = Number(active.staticData.offset);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(2);

		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'third' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['third']);
		const gets = callsOf('im.v2.Event.get');
		expect(Number(gets.at(-1)?.params.offset)).toBe(offsetAfterFirst);
		// Bitrix24 removed the confirmed ones; only "third" waits for the next confirmation.
		expect(
			portal()
				.pendingEvents(WEBHOOK_USER)
				.map((event) => (event.data.message as { text: string }).text),
		).toEqual(['third']);

		expect(await active.poll()).toBeNull();
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
	});

	it('a private message carries the sender as dialogId', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 7, dialogId: String(WEBHOOK_USER), text: 'hi in private' });
		const [item] = items(await active.poll());
		expect(item).toMatchObject({ dialogId: '7', authorId: 7, text: 'hi in private' });
	});

	it('pages through hasMore with 1,000 events per call', async () => {
		const active = await activeTrigger();
		for (let index = 1; index <= 1500; index++)
			portal().postMessage({ authorId: 2, dialogId: 'chat3', text: `m${index}` });
		const getsBefore = callsOf('im.v2.Event.get').length;

		const delivered = items(await active.poll());
		expect(delivered).toHaveLength(1500);
		expect(delivered[0].text).toBe('m1');
		expect(delivered[1499].text).toBe('m1500');
		const gets = callsOf('im.v2.Event.get').slice(getsBefore);
		expect(gets).toHaveLength(2);
		expect(gets.map((call) => Number(call.params.limit))).toEqual([1000, 1000]);
		expect(Number(gets[1].params.offset)).toBe(Number(delivered[999].eventId) + 1);
		expect(await active.poll()).toBeNull();
	});

	it('a failed poll is followed by a poll that still delivers, once', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'survives a failure' });
		portal().inject({ method: 'im.v2.event.get', kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500 });

		await expect(active.poll()).rejects.toThrow(/INTERNAL_SERVER_ERROR/);
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['survives a failure']);
		expect(await active.poll()).toBeNull();
	});

	it('a later page failing still delivers the pages already read (asking for it confirmed them)', async () => {
		const active = await activeTrigger();
		for (let index = 1; index <= 1100; index++)
			portal().postMessage({ authorId: 2, dialogId: 'chat3', text: `m${index}` });
		// The first page of the next poll answers; the second fails.
		portal().inject({ method: 'im.v2.event.get', kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500, skip: 1 });

		const firstPoll = items(await active.poll());
		expect(firstPoll.map((item) => item.text)).toEqual(Array.from({ length: 1000 }, (_, index) => `m${index + 1}`));
		const secondPoll = items(await active.poll());
		expect(secondPoll.map((item) => item.text)).toEqual(Array.from({ length: 100 }, (_, index) => `m${index + 1001}`));
		expect(await active.poll()).toBeNull();
	});
});

describe('Bitrix24 Trigger: filters', () => {
	it('skips own messages by default, so a reply through the Bitrix24 node does not trigger again', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'question' });
		const [question] = items(await active.poll());

		const reply = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				dialogId: { __rl: true, mode: 'id', value: question.dialogId as string },
				message: 'answer',
				additionalFields: { replyId: question.messageId as number },
			}),
		});
		expect(reply.error).toBeUndefined();
		expect(portal().messages.at(-1)).toMatchObject({
			dialogId: 'chat1',
			message: 'answer',
			replyId: question.messageId,
			authorId: 1,
		});
		// The reply is an event in the user's own queue, and the trigger skips it.
		expect(
			portal()
				.pendingEvents(WEBHOOK_USER)
				.some((event) => (event.data.message as { text: string }).text === 'answer'),
		).toBe(true);
		expect(await active.poll()).toBeNull();
	});

	it('delivers own messages when Ignore Own Messages is off, and system messages when Ignore System Messages is off', async () => {
		const active = await activeTrigger({
			parameters: { filters: { ignoreOwnMessages: false, ignoreSystemMessages: false } },
		});
		portal().postMessage({ authorId: 1, dialogId: 'chat1', text: 'mine' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'system notice', system: true });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['mine', 'system notice']);

		const strict = await activeTrigger({ workflowId: 'strict' });
		forgetAllReaders();
		portal().postMessage({ authorId: 1, dialogId: 'chat1', text: 'mine' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'system notice', system: true });
		expect(await strict.poll()).toBeNull();
	});

	it('only the chosen dialogs and texts pass', async () => {
		const active = await activeTrigger({
			parameters: { filters: { dialogIds: ['chat2', '7'], textContains: 'HELP' } },
		});
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'help in chat1' });
		portal().postMessage({ authorId: 2, dialogId: 'chat2', text: 'please help' });
		portal().postMessage({ authorId: 2, dialogId: 'chat2', text: 'no keyword' });
		portal().postMessage({ authorId: 7, dialogId: '1', text: 'Help me in private' });
		expect(items(await active.poll()).map((item) => [item.dialogId, item.text])).toEqual([
			['chat2', 'please help'],
			['7', 'Help me in private'],
		]);
	});

	it('dialog IDs may come as a comma-separated expression result', async () => {
		const active = await activeTrigger({ parameters: { filters: { dialogIds: '={{ "chat2, chat3" }}' } } });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'no' });
		portal().postMessage({ authorId: 2, dialogId: 'chat3', text: 'yes' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['yes']);
	});

	it('each event type maps to its name and fields', async () => {
		const active = await activeTrigger({
			parameters: { events: ['messageAdd', 'messageUpdate', 'messageDelete', 'reactionChange', 'joinChat'] },
		});
		const message = portal().postMessage({ authorId: 2, dialogId: 'chat4', text: 'v1' });
		portal().editMessage(message.id, 'v2');
		portal().reactToMessage(message.id, 3, 'like', 'add');
		portal().deleteMessage(message.id);
		portal().addToChat('chat4', 9);

		const delivered = items(await active.poll());
		expect(
			delivered.map(({ event, dialogId, messageId, text, authorId }) => ({
				event,
				dialogId,
				messageId,
				text,
				authorId,
			})),
		).toEqual([
			{ event: 'messageAdd', dialogId: 'chat4', messageId: message.id, text: 'v1', authorId: 2 },
			{ event: 'messageUpdate', dialogId: 'chat4', messageId: message.id, text: 'v2', authorId: 2 },
			{ event: 'reactionChange', dialogId: 'chat4', messageId: message.id, text: 'v2', authorId: 3 },
			{ event: 'messageDelete', dialogId: 'chat4', messageId: message.id, text: '', authorId: 2 },
			{ event: 'joinChat', dialogId: 'chat4', messageId: null, text: '', authorId: 9 },
		]);
		expect(delivered[2].raw).toMatchObject({ reaction: 'like', action: 'add' });
	});

	it('only the chosen events pass (default: new messages only)', async () => {
		const active = await activeTrigger();
		const message = portal().postMessage({ authorId: 2, dialogId: 'chat4', text: 'new' });
		portal().editMessage(message.id, 'edited');
		expect(items(await active.poll()).map((item) => item.event)).toEqual(['messageAdd']);
	});
});

describe('Bitrix24 Trigger: chat picker for Dialog IDs', () => {
	it('lists the recent chats and people (im.recent.list), values being dialog IDs', async () => {
		const options = await trigger().loadOptions('getDialogs');
		expect(options).toHaveLength(120);
		expect(options.every((option) => /^(\d+|chat\d+|sg\d+)$/.test(String(option.value)))).toBe(true);
		expect(callsOf('im.recent.list')).toHaveLength(3);
	});
});

describe('Bitrix24 Trigger: manual "Fetch Test Event"', () => {
	it('returns the most recent matching event without consuming the production offset', async () => {
		const active = await activeTrigger();
		const offsetBefore = active.staticData.offset;
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'older' });
		portal().postMessage({ authorId: 3, dialogId: 'chat1', text: 'newest' });

		const fetched = items(await active.fetchTestEvent());
		expect(fetched.map((item) => item.text)).toEqual(['newest']);
		expect(active.staticData.offset).toBe(offsetBefore);
		expect(callsOf('im.v2.Event.get').at(-1)?.params.offset).toBeUndefined();
		// The active workflow still receives both.
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['older', 'newest']);
	});

	it('without a matching event, subscribes and says what to do', async () => {
		const manual = trigger();
		await expect(manual.fetchTestEvent()).rejects.toThrow('No matching Bitrix24 event yet');
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(true);
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'now there is one' });
		expect(items(await manual.fetchTestEvent()).map((item) => item.text)).toEqual(['now there is one']);
		expect(manual.staticData).toEqual({});
	});
});

describe('Bitrix24 Trigger: exclusivity', () => {
	it('of two active triggers on the same Bitrix24 user, the newer reads and the older says why it stopped', async () => {
		const first = await activeTrigger({ workflowId: 'wf-first', workflowName: 'Ops tickets' });
		const second = trigger({ workflowId: 'wf-second', workflowName: 'AI assistant' }).activate();
		await sleep(5);
		expect(await second.poll()).toBeNull();

		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'for one reader only' });
		const getsBefore = callsOf('im.v2.Event.get').length;
		await expect(first.poll()).rejects.toThrow(/Another active Bitrix24 Trigger reads the events of Bitrix24 user 1/);
		expect(callsOf('im.v2.Event.get')).toHaveLength(getsBefore);
		expect(items(await second.poll()).map((item) => item.text)).toEqual(['for one reader only']);
	});

	it('the fake portal models the theft: a second reader confirming an offset removes the events for the first', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'stolen' });
		const thief = await fetch(`${portal().webhookUrl}im.v2.Event.get.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ limit: 10 }),
		}).then(async (response) => (await response.json()) as { result: { nextOffset: number } });
		await fetch(`${portal().webhookUrl}im.v2.Event.get.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ offset: thief.result.nextOffset }),
		});
		expect(await active.poll()).toBeNull();
	});
});

describe('Bitrix24 Trigger: errors', () => {
	it('a missing "im" scope fails the activation with the code and the hint', async () => {
		portal().setWebhookScopes(['user']);
		const active = trigger().activate();
		await expect(active.poll()).rejects.toMatchObject({
			message: expect.stringContaining('insufficient_scope'),
			description: expect.stringContaining('"im" scope'),
			httpCode: '401',
		});
	});

	it('a revoked webhook fails the poll with INVALID_CREDENTIALS, and the secret stays out of the error', async () => {
		const active = await activeTrigger();
		portal().revokeWebhook();
		const error = (await active.poll().then(
			() => undefined,
			(caught: unknown) => caught,
		)) as (Error & { description?: string }) | undefined;
		expect(error).toBeInstanceOf(Error);
		expect(error?.message).toMatch(/INVALID_CREDENTIALS/);
		expect(JSON.stringify({ message: error?.message, description: error?.description })).not.toContain(
			'fakeWebhookSecret0123',
		);
	});

	it('bad parameters fail before any request, naming the field', async () => {
		await expect(
			trigger({ parameters: { events: [] } })
				.activate()
				.poll(),
		).rejects.toThrow(/Parameter "Events"/);
		await expect(
			trigger({ parameters: { filters: { dialogIds: ['chat1', 'general'] } } })
				.activate()
				.poll(),
		).rejects.toThrow(/Filter "Dialog IDs": "general" is not a dialog ID/);
		expect(portal().httpRequests).toHaveLength(0);
	});
});

describe('Bitrix24 Trigger: OAuth2', () => {
	it("reads the events of the token's user (user_id from the token answer), refreshing an expired token", async () => {
		const form = new URLSearchParams({
			grant_type: 'authorization_code',
			client_id: 'local.fake.app',
			client_secret: FAKE_CLIENT_CODE,
			code: portal().issueAuthorizationCode(),
		});
		const token = (await fetch(portal().tokenUrl, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded' },
			body: form.toString(),
		}).then(async (response) => await response.json())) as ICredentialDataDecryptedObject['oauthTokenData'];
		const credential: ICredentialDataDecryptedObject = {
			portalUrl: portal().url,
			clientId: 'local.fake.app',
			clientSecret: FAKE_CLIENT_CODE,
			accessTokenUrl: portal().tokenUrl,
			authUrl: `${portal().url}/oauth/authorize/`,
			grantType: 'authorizationCode',
			authentication: 'body',
			scope: '',
			oauthTokenData: token,
		};
		const active = new ActiveTrigger({
			credentials: { bitrix24OAuth2Api: credential },
			parameters: { authentication: 'oAuth2' },
		}).activate();
		expect(await active.poll()).toBeNull();
		portal().postMessage({ authorId: 4, dialogId: 'chat2', text: 'via OAuth' });
		portal().expireAccessTokens();
		expect(items(await active.poll())).toEqual([
			expect.objectContaining({ text: 'via OAuth', dialogId: 'chat2', authorId: 4 }),
		]);
		expect(callsOf('profile')).toHaveLength(0);
		expect(portal().tokens.refreshGrants).toBe(1);
	});
});

// Last in the file: a refusal slows this process's pacing for the portal for a minute (adaptive
// pacing), and the tests after it would wait for their slots.
describe('Bitrix24 Trigger: rate limit', () => {
	it('rate limits are paced and retried like the Bitrix24 node does', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'after a 503' });
		portal().inject({ method: 'im.v2.event.get', kind: 'queryLimit' });
		expect(items(await active.poll()).map((item) => item.text)).toEqual(['after a 503']);
		expect(callsOf('im.v2.Event.get').some((call) => call.outcome === 'QUERY_LIMIT_EXCEEDED')).toBe(true);
	});
});
