import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { forgetAllQueueOwners } from '../nodes/shared/listening/queueOwners';
import { FAKE_CLIENT_CODE } from './fakePortal';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';
import { type ListeningTrigger, type TriggerOptions, useListeningTriggers } from './harness/runTrigger';
import { runBitrix24 } from './harness/runWorkflow';
import { Bitrix24Trigger } from '../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import triggerCodex from '../nodes/Bitrix24Trigger/Bitrix24Trigger.node.json';
import nodeCodex from '../nodes/Bitrix24/Bitrix24.node.json';

const portal = useFakePortal();

// One portal for the whole file, so the client's per-portal bucket paces every test; the
// triggers here check every 2 s, so a test takes a few seconds.
jest.setTimeout(30_000);
const WEBHOOK_USER = 1;

const trigger = useListeningTriggers(portal);
const callsOf = (method: string) => portal().calls.filter((call) => call.method === method.toLowerCase());
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** An active trigger, subscribed, after its first read. */
async function activeTrigger(options: Partial<TriggerOptions> = {}): Promise<ListeningTrigger> {
	const active = await trigger(options).activate();
	const reads = callsOf('im.v2.Event.get').length;
	const deadline = Date.now() + 5000;
	while (callsOf('im.v2.Event.get').length === reads && Date.now() < deadline) await sleep(20);
	return active;
}

describe('Bitrix24 Trigger: activation', () => {
	it('subscribes on activation and does not replay events recorded before a person switched it on', async () => {
		const first = await activeTrigger();
		await first.close();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'while switched off' });

		const active = await activeTrigger();
		expect(callsOf('im.v2.Event.subscribe').length).toBeGreaterThanOrEqual(2);
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(true);
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'after activation' });
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.texts()).toEqual(['after activation']);
	});

	it('after an n8n restart (activation "init") delivers what arrived while n8n was down, with no state of its own', async () => {
		const before = await activeTrigger();
		await before.close();
		forgetAllQueueOwners();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'while n8n was down' });

		const restarted = await trigger().activate('init');
		await restarted.waitForExecutions(1);
		expect(restarted.texts()).toEqual(['while n8n was down']);
		expect(restarted.workflow.staticData).toEqual({});
	});

	it('a saved workflow of the polling version (with Poll Times) activates and listens', async () => {
		const active = await activeTrigger({
			parameters: { pollTimes: { item: [{ mode: 'everyMinute' }] }, checkEverySeconds: undefined },
		});
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'old workflow, new trigger' });
		await active.waitForExecutions(1, 10_000);
		expect(active.texts()).toEqual(['old workflow, new trigger']);
	});
});

describe('Bitrix24 Trigger: delivery', () => {
	it('outputs one flat item per new message, ready for a reply, one execution each', async () => {
		const active = await activeTrigger();
		const posted = portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'Where is the report?' });
		const pending = portal().pendingEvents(WEBHOOK_USER);
		await active.waitForExecutions(1);
		expect(active.items[0]).toEqual({
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

	it('confirms an event with the next read only after its execution finished', async () => {
		const active = await activeTrigger();
		active.executionEnd = 'by test';
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'slow one' });
		await active.waitForExecutions(1);
		const eventId = Number(active.items[0].eventId);

		// Reads go on while the execution runs; none of them confirms the event.
		const readsBefore = callsOf('im.v2.Event.get').length;
		await sleep(4500);
		expect(callsOf('im.v2.Event.get').length).toBeGreaterThan(readsBefore);
		expect(
			portal()
				.pendingEvents(WEBHOOK_USER)
				.map((event) => event.eventId),
		).toEqual([eventId]);
		expect(active.executions).toHaveLength(1);

		active.executions[0].finish();
		await sleep(4500);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
		expect(callsOf('im.v2.Event.get').some((call) => Number(call.params.offset) === eventId + 1)).toBe(true);
		expect(active.executions).toHaveLength(1);
	});

	it('a failed execution is finished too: its event is confirmed, and later events come', async () => {
		const active = await activeTrigger();
		active.executionEnd = 'by test';
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'fails' });
		await active.waitForExecutions(1);
		active.executions[0].finish('error');
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'next' });
		await active.waitForExecutions(2);
		active.executions[1].finish();
		await sleep(4500);
		expect(active.texts()).toEqual(['fails', 'next']);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
	});

	it('keeps a dialog in order (the next starts after the previous finished), and runs dialogs side by side', async () => {
		const active = await activeTrigger();
		active.executionEnd = 'by test';
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'chat1 first' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'chat1 second' });
		portal().postMessage({ authorId: 3, dialogId: 'chat2', text: 'chat2 first' });
		await active.waitForExecutions(2);
		await sleep(300);
		expect(active.texts()).toEqual(['chat1 first', 'chat2 first']);

		active.executions[0].finish();
		await active.waitForExecutions(3);
		expect(active.texts()).toEqual(['chat1 first', 'chat2 first', 'chat1 second']);
		for (const execution of active.executions) execution.finish();
		await sleep(4500);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
		expect(active.executions).toHaveLength(3);
	});

	it('a private message carries the sender as dialogId', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 7, dialogId: String(WEBHOOK_USER), text: 'hi in private' });
		await active.waitForExecutions(1);
		expect(active.items[0]).toMatchObject({ dialogId: '7', authorId: 7, text: 'hi in private' });
	});

	it('a read that fails is tried again, and the event still comes once', async () => {
		const active = await activeTrigger();
		portal().inject({ method: 'im.v2.event.get', kind: 'error', code: 'INTERNAL_SERVER_ERROR', status: 500, times: 3 });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'survives a failure' });
		await active.waitForExecutions(1, 25_000);
		await sleep(2500);
		expect(active.texts()).toEqual(['survives a failure']);
	});
});

describe('Bitrix24 Trigger: filters', () => {
	it('skips own messages by default, so a reply through the Bitrix24 node does not trigger again', async () => {
		const active = await activeTrigger();
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'question' });
		await active.waitForExecutions(1);
		const question = active.items[0];

		const reply = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				dialogId: { __rl: true, mode: 'id', value: question.dialogId as string },
				message: 'answer',
				additionalFields: { replyId: question.messageId as number },
			}),
		});
		expect(reply.error).toBeUndefined();
		expect(portal().messages.at(-1)).toMatchObject({ dialogId: 'chat1', message: 'answer', authorId: 1 });
		await sleep(4500);
		expect(active.texts()).toEqual(['question']);
		// The reply's own event was read, skipped and confirmed.
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(0);
	});

	it('delivers own and system messages when those filters are off', async () => {
		const active = await activeTrigger({
			parameters: { filters: { ignoreOwnMessages: false, ignoreSystemMessages: false } },
		});
		portal().postMessage({ authorId: 1, dialogId: 'chat1', text: 'mine' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'system notice', system: true });
		await active.waitForExecutions(2);
		expect(active.texts()).toEqual(['mine', 'system notice']);
	});

	it('only the chosen dialogs, texts and events pass', async () => {
		const active = await activeTrigger({
			parameters: { filters: { dialogIds: '={{ "chat2, 7" }}', textContains: 'HELP' } },
		});
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'help in chat1' });
		const edited = portal().postMessage({ authorId: 2, dialogId: 'chat2', text: 'please help' });
		portal().editMessage(edited.id, 'please help, edited');
		portal().postMessage({ authorId: 2, dialogId: 'chat2', text: 'no keyword' });
		portal().postMessage({ authorId: 7, dialogId: '1', text: 'Help me in private' });
		await active.waitForExecutions(2);
		await sleep(2500);
		expect(active.items.map((item) => [item.dialogId, item.text])).toEqual([
			['chat2', 'please help'],
			['7', 'Help me in private'],
		]);
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
		await active.waitForExecutions(5);
		expect(
			active.items.map(({ event, dialogId, messageId, text, authorId }) => ({
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
	});
});

describe('Bitrix24 Trigger: chat picker for Dialog IDs', () => {
	it('lists the recent chats and people (im.recent.list), values being dialog IDs', async () => {
		const options = await trigger().loadOptions('getDialogs');
		expect(options).toHaveLength(120);
		expect(options.every((option) => /^(\d+|chat\d+|sg\d+)$/.test(String(option.value)))).toBe(true);
		// Ordered by name, as a multi-select's list is read (Bitrix24 answers most recent first).
		const names = options.map((option) => option.name);
		expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, undefined, { sensitivity: 'base' })));
	});
});

describe('Bitrix24 Trigger: canvas and documentation', () => {
	it('the subtitle names the chosen events as the Events list does, not by their values', () => {
		const subtitle = new Bitrix24Trigger().description.subtitle as string;
		const body = /^=\{\{(.*)\}\}$/s.exec(subtitle)![1];
		// The node's own expression, evaluated as the editor evaluates it for the canvas.
		const evaluate = new Function('$parameter', `return ${body}`) as (parameter: object) => string;
		expect(evaluate({ events: ['messageAdd', 'messageUpdate'] })).toBe('Message Added, Message Edited');
		expect(evaluate({ events: ['joinChat', 'fromAnExpression'] })).toBe('Person Added to Chat, fromAnExpression');
		expect(evaluate({})).toBe('');
	});

	it('documentation links carry no #anchor, which n8n would break by appending its query after it', () => {
		const urls = [triggerCodex, nodeCodex].flatMap((codex) =>
			Object.values(codex.resources).flatMap((links) => links.map((link: { url: string }) => link.url)),
		);
		expect(urls.length).toBeGreaterThan(2);
		for (const url of urls) expect(url).not.toContain('#');
	});
});

describe('Bitrix24 Trigger: "Listen for test event"', () => {
	it('waits for the next matching event and confirms nothing, so the active workflow still gets it', async () => {
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'already waiting' });
		const manual = trigger({ workflowId: 'editor' });
		const listening = await manual.listenForTestEvent();
		await sleep(500);
		portal().postMessage({ authorId: 1, dialogId: 'chat1', text: 'own, skipped' });
		portal().postMessage({ authorId: 3, dialogId: 'chat2', text: 'the next one' });
		const data = await listening.data;
		await listening.close();
		expect(data[0].map((item) => item.json.text)).toEqual(['the next one']);
		expect(callsOf('im.v2.Event.get').every((call) => call.params.offset === undefined)).toBe(true);
		expect(portal().isSubscribed(WEBHOOK_USER)).toBe(true);
		expect(portal().pendingEvents(WEBHOOK_USER)).toHaveLength(2);
	});
});

describe('Bitrix24 Trigger: exclusivity', () => {
	it('a second active trigger for the same Bitrix24 user fails to activate and says why', async () => {
		await activeTrigger({ workflowId: 'wf-first', workflowName: 'Ops tickets' });
		const second = trigger({ workflowId: 'wf-second', workflowName: 'AI assistant' });
		await expect(second.activate()).rejects.toMatchObject({
			message: 'Another active Bitrix24 Trigger already reads the events of Bitrix24 user 1',
			description: expect.stringContaining('"Bitrix24 Trigger" in workflow "Ops tickets"'),
		});
	});

	it('once the first is deactivated, the second activates', async () => {
		const first = await activeTrigger({ workflowId: 'wf-first' });
		await first.close();
		const second = await activeTrigger({ workflowId: 'wf-second' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'for the second' });
		await second.waitForExecutions(1);
		expect(second.texts()).toEqual(['for the second']);
	});
});

describe('Bitrix24 Trigger: errors', () => {
	it('a missing "im" scope fails the activation with the code and the hint', async () => {
		portal().setWebhookScopes(['user']);
		await expect(trigger().activate()).rejects.toMatchObject({
			message: expect.stringContaining('insufficient_scope'),
			description: expect.stringContaining('"im" scope'),
			httpCode: '401',
		});
	});

	it('bad parameters fail before any request, naming the field', async () => {
		await expect(trigger({ parameters: { events: [] } }).activate()).rejects.toThrow(/Parameter "Events"/);
		await expect(trigger({ parameters: { filters: { dialogIds: ['chat1', 'general'] } } }).activate()).rejects.toThrow(
			/Filter "Dialog IDs": "general" is not a dialog ID/,
		);
		await expect(trigger({ parameters: { checkEverySeconds: 1 } }).activate()).rejects.toThrow(
			/Parameter "Check Every \(Seconds\)": 1 is too short/,
		);
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
		const active = await activeTrigger({
			credentials: { bitrix24OAuth2Api: credential },
			parameters: { authentication: 'oAuth2' },
		});
		portal().expireAccessTokens();
		portal().postMessage({ authorId: 4, dialogId: 'chat2', text: 'via OAuth' });
		await active.waitForExecutions(1);
		expect(active.items).toEqual([expect.objectContaining({ text: 'via OAuth', dialogId: 'chat2', authorId: 4 })]);
		expect(callsOf('profile')).toHaveLength(0);
		expect(portal().tokens.refreshGrants).toBe(1);
	});
});
