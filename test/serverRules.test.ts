/**
 * The chat-loop operations against what Bitrix24's server does with their input (issue 24):
 * line-break tags and trimming before an edit, `false` answers inside a batch, "already a
 * member", objects in text fields, lengths Bitrix24 cuts, and what an uncertain upload leaves.
 * Each case was a defect the fake portal did not model; each test failed before the fix.
 */
import type { INodeParameters } from 'n8n-workflow';

import { dialogById, fromItem, people, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';
import { useListeningTriggers } from './harness/runTrigger';
import { runBitrix24 } from './harness/runWorkflow';
import type { RunOptions } from './harness/runWorkflow';
import { registerTestFile } from './harness/testBinaryItemsNode';

const portal = useFakePortal();
const listeningTrigger = useListeningTriggers(portal);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));
const credentials = () => webhookCredentials(portal());
const callsOf = (method: string) => portal().calls.filter((call) => call.method === method);

async function sendStatus(text = 'Deploy started'): Promise<number> {
	const sent = await runBitrix24({ credentials: credentials(), parameters: sendParameters({ message: text }) });
	expect(sent.status).toBe('success');
	return sent.output[0].json.messageId as number;
}

const update = (extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'message',
	operation: 'update',
	messageId: fromItem('messageId'),
	message: fromItem('text'),
	...extra,
});

describe('Update applies the server text rules before deciding', () => {
	it.each([['[br]'], ['[BR][br]'], [' [br]\n[br] '], ['\u0000'], ['\u0000 \u000b[BR]']])(
		'%j would delete the message on Bitrix24: refused, naming field and item, nothing sent',
		async (text) => {
			const messageId = await sendStatus();
			const result = await runBitrix24({
				credentials: credentials(),
				items: [
					{ messageId, text: 'fine' },
					{ messageId, text },
				],
				parameters: update(),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Invalid "Message" in item 1: .*Use the Delete operation/);
			expect(callsOf('im.message.update')).toHaveLength(0);
			expect(portal().messages[0]).toMatchObject({ message: 'Deploy started' });
			expect(portal().messages[0].deleted).toBeUndefined();
		},
	);

	it('the fake portal deletes a message whose new text is only [br] (as Bitrix24 does)', async () => {
		const messageId = await sendStatus();
		const answer = await fetch(`${portal().webhookUrl}im.message.update.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ MESSAGE_ID: messageId, MESSAGE: ' [br]\n[BR]\u0000' }),
		});
		expect(await answer.json()).toMatchObject({ result: true });
		expect(portal().messages[0].deleted).toBe(true);
	});

	it('"0" and text around [br] are real text and go out', async () => {
		const messageId = await sendStatus();
		const result = await runBitrix24({
			credentials: credentials(),
			items: [
				{ messageId, text: '0' },
				{ messageId, text: 'done[br]' },
			],
			parameters: update({ options: { batching: false } }),
		});
		expect(result.status).toBe('success');
		expect(portal().messages[0]).toMatchObject({ message: 'done' });
		expect(portal().messages[0].deleted).toBeUndefined();
	});

	it('an edit over 20,000 characters is refused (Bitrix24 would cut it, add " (...)" and report success)', async () => {
		const messageId = await sendStatus();
		const result = await runBitrix24({
			credentials: credentials(),
			items: [{ messageId, text: 'x'.repeat(20_001) }],
			parameters: update(),
		});
		expect(result.error?.message).toMatch(/^Invalid "Message" in item 0: the text is 20001 characters long/);
		expect(callsOf('im.message.update')).toHaveLength(0);
	});

	it('the fake portal cuts an edit over 20,006 characters and appends " (...)"', async () => {
		const messageId = await sendStatus();
		await fetch(`${portal().webhookUrl}im.message.update.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ MESSAGE_ID: messageId, MESSAGE: 'y'.repeat(20_007) }),
		});
		expect(portal().messages[0].message).toBe(`${'y'.repeat(20_000)} (...)`);
	});
});

const notify = (extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'notification',
	operation: 'send',
	userId: { __rl: true, mode: 'id', value: fromItem('user') },
	message: 'Deploy finished',
	...extra,
});

describe('a false answer inside a batch never leaves an executed item unreported', () => {
	it('without continue-on-fail, nothing after the refused notification is sent', async () => {
		const result = await runBitrix24({
			credentials: credentials(),
			items: [{ user: '5' }, { user: '999' }, { user: '6' }, { user: '7' }],
			parameters: notify({ options: { batching: true } }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/NOTIFICATION_NOT_CREATED/);
		// A re-run of the failed items never notifies 6 and 7 twice: they were never notified.
		expect(portal().notifications.map((notification) => notification.userId)).toEqual([5]);
	});

	it('with continue-on-fail every item is reported, and batching still groups them', async () => {
		const result = await runBitrix24({
			credentials: credentials(),
			items: [{ user: '5' }, { user: '999' }, { user: '6' }],
			parameters: notify({ options: { batching: true } }),
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((item) => item.json.code ?? item.json.userId)).toEqual([5, 'NOTIFICATION_NOT_CREATED', 6]);
		expect(portal().notifications.map((notification) => notification.userId)).toEqual([5, 6]);
		expect(callsOf('im.notify.personal.add').every((call) => call.via === 'batch')).toBe(true);
	});
});

const chat = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'chat',
	operation,
	...extra,
});

async function createChat(users: string): Promise<number> {
	const created = await runBitrix24({
		credentials: credentials(),
		parameters: chat('create', { title: 'Incident', users: people(...users.split(', ')) }),
	});
	expect(created.status).toBe('success');
	return created.output[0].json.chatId as number;
}

describe('Add Users when the people are already members', () => {
	it('the fake portal answers WRONG_REQUEST when no one listed is new (as Bitrix24 does)', async () => {
		const chatId = await createChat('3');
		const answer = await fetch(`${portal().webhookUrl}im.chat.user.add.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ CHAT_ID: chatId, USERS: [3] }),
		});
		expect(answer.status).toBe(400);
		expect(await answer.json()).toMatchObject({ error: 'WRONG_REQUEST' });
	});

	it('is a success that names who was already there', async () => {
		const chatId = await createChat('3, 7');
		const result = await runBitrix24({
			credentials: credentials(),
			parameters: chat('addUsers', { dialogId: dialogById(String(chatId)), users: people(3, 7) }),
		});
		expect(result.status).toBe('success');
		expect(result.output[0].json).toEqual({ chatId, added: true, alreadyMembers: [3, 7] });
	});

	it('the retry after a lost answer succeeds although Bitrix24 now says "already member"', async () => {
		const chatId = await createChat('3');
		portal().inject({ method: 'im.chat.user.add', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: credentials(),
			parameters: chat('addUsers', { dialogId: dialogById(String(chatId)), users: people('9') }),
		});
		expect(result.status).toBe('success');
		expect(callsOf('im.chat.user.add')).toHaveLength(2);
		expect(portal().chats.get(chatId)?.userIds).toContain(9);
	});

	it('WRONG_REQUEST for people who are not members stays an error (no access, or no such user)', async () => {
		const chatId = await createChat('3');
		const result = await runBitrix24({
			credentials: credentials(),
			parameters: chat('addUsers', { dialogId: dialogById(String(chatId)), users: people('987654') }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^WRONG_REQUEST/);
	});
});

describe('objects in text fields are refused; numbers and booleans are text', () => {
	const items = [{ payload: 'fine' }, { payload: { text: 'hello' } }];
	const cases: Array<[string, INodeParameters]> = [
		['Send', sendParameters({ message: fromItem('payload') })],
		['Update', update({ messageId: '1001', message: fromItem('payload') })],
		['Notification', notify({ userId: { __rl: true, mode: 'id', value: '5' }, message: fromItem('payload') })],
		[
			'Notification e-mail text',
			notify({
				userId: { __rl: true, mode: 'id', value: '5' },
				additionalFields: { messageOut: fromItem('payload') },
			}),
		],
		['Create chat title', chat('create', { title: fromItem('payload') })],
		['Create chat first message', chat('create', { title: 'T', additionalFields: { message: fromItem('payload') } })],
	];
	it.each(cases)('%s: an object is refused, naming field and item, before anything is sent', async (_name, params) => {
		const result = await runBitrix24({ credentials: credentials(), items, parameters: params });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Invalid "[^"]+" in item 1: an object is not text/);
		expect(portal().calls).toEqual([]);
	});

	it('a number and a boolean go out as their text', async () => {
		const result = await runBitrix24({
			credentials: credentials(),
			items: [{ payload: 42 }, { payload: true }],
			parameters: sendParameters({ message: fromItem('payload') }),
		});
		expect(result.status).toBe('success');
		expect(portal().messages.map((message) => message.message)).toEqual(['42', 'true']);
	});

	it("the trigger's Text Contains filter takes a number as its text", async () => {
		const active = await listeningTrigger({ parameters: { filters: { textContains: 42 } } }).activate();
		// The first read after activation skips what was recorded before it: post after it.
		const readsOf = () => portal().calls.filter((call) => call.method === 'im.v2.event.get').length;
		while (readsOf() === 0) await sleep(20);
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'Build 42 failed' });
		portal().postMessage({ authorId: 2, dialogId: 'chat1', text: 'Build 43 passed' });
		await active.waitForExecutions(1);
		await sleep(2500);
		expect(active.texts()).toEqual(['Build 42 failed']);
	});

	it("the trigger's Text Contains filter refuses an object", async () => {
		const trigger = listeningTrigger({ parameters: { filters: { textContains: '={{ { "a": 1 } }}' } } });
		await expect(trigger.activate()).rejects.toThrow(/^Filter "Text Contains": an object is not text/);
	});
});

describe('audit: input the server answers with an error is refused before anything is sent', () => {
	const cases: Array<[string, INodeParameters, RegExp]> = [
		['Send to chat0', sendParameters({ dialogId: { __rl: true, mode: 'id', value: '={{ "chat0" }}' } }), /"Dialog"/],
		['Send to user 0', sendParameters({ dialogId: { __rl: true, mode: 'id', value: '={{ "0" }}' } }), /"Dialog"/],
		[
			'Send to a negative ID',
			sendParameters({ dialogId: { __rl: true, mode: 'id', value: '={{ "-5" }}' } }),
			/"Dialog"/,
		],
		['Update message 0', update({ messageId: '0', message: 'x' }), /"Message ID"/],
		['Update a negative message', update({ messageId: '-4', message: 'x' }), /"Message ID"/],
		[
			'Delete message 0',
			{ authentication: 'webhook', resource: 'message', operation: 'delete', messageId: '0' },
			/"Message ID"/,
		],
		[
			'React to message 0',
			{ authentication: 'webhook', resource: 'message', operation: 'react', messageId: '0' },
			/"Message ID"/,
		],
		['Notify user 0', notify({ userId: { __rl: true, mode: 'id', value: '={{ 0 }}' } }), /"User"/],
		['Notify a negative user', notify({ userId: { __rl: true, mode: 'id', value: '={{ -3 }}' } }), /"User"/],
		[
			'Notify with only NUL',
			notify({ userId: { __rl: true, mode: 'id', value: '5' }, message: '\u0000 ' }),
			/"Message"/,
		],
		[
			'Add Users to chat 0',
			chat('addUsers', { dialogId: dialogById('={{ "chat0" }}'), users: people('3') }),
			/"Dialog"/,
		],
		['Add nobody', chat('addUsers', { dialogId: dialogById('5'), users: people('={{ [] }}') }), /"Users"/],
		[
			'Get Many before a message ID that is not a number',
			{
				authentication: 'webhook',
				resource: 'message',
				operation: 'getMany',
				dialogId: { __rl: true, mode: 'id', value: 'chat1' },
				options: { beforeId: 'abc' },
			},
			/"Before Message ID"/,
		],
		[
			'Get Many with limit 0',
			{
				authentication: 'webhook',
				resource: 'message',
				operation: 'getMany',
				dialogId: { __rl: true, mode: 'id', value: 'chat1' },
				limit: 0,
			},
			/"Limit"/,
		],
	];
	it.each(cases)('%s', async (_name, parameters, field) => {
		const result = await runBitrix24({ credentials: credentials(), parameters });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Invalid /);
		expect(result.error?.message).toMatch(field);
		expect(portal().calls).toEqual([]);
	});
});

const csv = () => registerTestFile({ bytes: Buffer.from('a,b\n'), fileName: 'report.csv', mimeType: 'text/csv' });

function sendFile(parameters: RunOptions['parameters'] = {}) {
	return runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl } },
		binaryItems: [{ binary: { data: csv() } }],
		parameters: {
			authentication: 'webhook',
			operation: 'sendFile',
			dialogId: { __rl: true, mode: 'id', value: 'chat1' },
			...parameters,
		},
	});
}

describe('Send File: caption length and what an uncertain upload leaves', () => {
	it('a caption over 20,000 characters is refused before the upload (Bitrix24 would cut it)', async () => {
		const result = await sendFile({ message: 'c'.repeat(20_001) });
		expect(result.error?.message).toMatch(/^Invalid "Message" in item 0: the caption is 20001 characters/);
		expect(portal().calls).toEqual([]);
	});

	it('a commit without an answer: the file is known to be uploaded, and no advice could post it twice', async () => {
		portal().setImV2Available(false);
		portal().setWebhookScopes(['im', 'user', 'disk']);
		portal().inject({ kind: 'dropAfterCreate', method: 'im.disk.file.commit' });
		const result = await sendFile();
		const [file] = portal().files;
		expect(file.messageId).toBeDefined(); // the commit ran: the file is in the chat
		const message = result.error?.message ?? '';
		expect(message).not.toMatch(/may or may not have been uploaded/);
		expect(message).not.toMatch(/post it with im\.disk\.file\.commit/);
		expect(message).toContain(`uploaded to the chat's Drive folder as file ${file.diskId}`);
		expect(message).toMatch(/may or may not be in the chat/);
		expect(callsOf('im.disk.file.commit')).toHaveLength(1);
	});

	it("a proxy's HTML 413 says the file did not reach Bitrix24", async () => {
		portal().inject({ kind: 'html413', method: 'im.v2.file.upload' });
		const result = await sendFile();
		const message = result.error?.message ?? '';
		expect(message).toMatch(/HTTP 413/);
		expect(message).not.toMatch(/may or may not/);
		expect(message).toMatch(/did not reach Bitrix24/);
		expect(portal().files).toHaveLength(0);
	});
});
