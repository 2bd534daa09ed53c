import type { INodeParameters } from 'n8n-workflow';

import { runBitrix24, searchInEditor } from './harness/runWorkflow';
import { dialogById, fromItem, people, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const callsOf = (method: string) => portal().calls.filter((call) => call.method === method);

const notify = (extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'notification',
	operation: 'send',
	userId: { __rl: true, mode: 'id', value: '5' },
	message: 'Deploy [b]started[/b]',
	...extra,
});

describe('notification → send', () => {
	it.each([
		['personal', 'im.notify.personal.add'],
		['system', 'im.notify.system.add'],
	])('a %s notification goes through %s and outputs {notificationId, userId}', async (notificationType, method) => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: notify({ notificationType, additionalFields: { messageOut: 'Deploy started (e-mail)' } }),
		});
		expect(result.status).toBe('success');
		const [stored] = portal().notifications;
		expect(result.output[0].json).toEqual({ notificationId: stored.id, userId: 5 });
		expect(stored).toMatchObject({
			kind: notificationType,
			userId: 5,
			message: 'Deploy [b]started[/b]',
			messageOut: 'Deploy started (e-mail)',
		});
		expect(callsOf(method)).toHaveLength(1);
		// No tag, so no CLIENT_ID either.
		expect(callsOf(method)[0].params.CLIENT_ID).toBeUndefined();
	});

	it('a webhook call with a tag carries CLIENT_ID, and the same tag replaces the earlier notification', async () => {
		for (const message of ['Build 42 running', 'Build 42 passed']) {
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				parameters: notify({ message, additionalFields: { tag: 'build-42', subTag: 'builds' } }),
			});
			expect(result.status).toBe('success');
		}
		expect(callsOf('im.notify.personal.add').map((call) => call.params)).toEqual([
			expect.objectContaining({ TAG: 'build-42', SUB_TAG: 'builds', CLIENT_ID: 'n8n-nodes-bitrix24' }),
			expect.objectContaining({ TAG: 'build-42', SUB_TAG: 'builds', CLIENT_ID: 'n8n-nodes-bitrix24' }),
		]);
		expect(portal().notifications.map((notification) => notification.message)).toEqual(['Build 42 passed']);
	});

	it('the portal refuses a webhook tag without CLIENT_ID (as documented), so the node always sends it', async () => {
		const response = await fetch(`${portal().webhookUrl}im.notify.personal.add.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ USER_ID: 5, MESSAGE: 'x', TAG: 't' }),
		});
		expect(response.status).toBe(403);
		expect(await response.json()).toMatchObject({ error: 'ACCESS_DENIED' });
	});

	it('checks every item before sending: user ID, text and attachment, naming field and item', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[{ userId: { __rl: true, mode: 'id', value: fromItem('user') } }, /^Invalid "User" in item 1: "abc"/],
			[{ message: fromItem('text') }, /^Invalid "Message" in item 1: the text is empty/],
			[{ attach: { content: { mode: 'json', json: fromItem('attach') } } }, /^Invalid "Attachment" in item 1/],
		];
		for (const [extra, expected] of cases) {
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: [
					{ user: '5', text: 'ok', attach: '[{"MESSAGE": "fine"}]' },
					{ user: 'abc', text: ' ', attach: '[{"LINK": {"NAME": "no link"}}]' },
				],
				parameters: notify(extra),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(expected);
		}
		expect(portal().calls).toEqual([]);
	});

	it('a user Bitrix24 cannot notify (answer false) is an error; continue-on-fail keeps the others', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ user: '999' }, { user: '6' }],
			parameters: notify({ userId: { __rl: true, mode: 'id', value: fromItem('user') }, options: { batching: true } }),
			onError: 'continueRegularOutput',
		});
		expect(result.output.map((item) => item.json.code ?? item.json.userId)).toEqual(['NOTIFICATION_NOT_CREATED', 6]);
		expect(portal().notifications.map((notification) => notification.userId)).toEqual([6]);
	});

	it('a notification whose answer was lost is not sent twice', async () => {
		portal().inject({ method: 'im.notify.personal.add', kind: 'dropAfterCreate' });
		const result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters: notify() });
		expect(result.error?.message).toMatch(/the notification may or may not have been sent/);
		expect(portal().notifications).toHaveLength(1);
	});

	it('the person picker lists people from the recent chats, searchable', async () => {
		const options = { credentials: webhookCredentials(portal()), parameters: notify() };
		const all = await searchInEditor('searchUsers', options);
		expect(all.results.length).toBeGreaterThan(10);
		expect(all.results.every((item) => /^\d+$/.test(String(item.value)))).toBe(true);
		const found = await searchInEditor('searchUsers', options, 'Anna');
		expect(found.results.length).toBeGreaterThan(0);
		expect(found.results.every((item) => item.name.includes('Anna'))).toBe(true);
	});
});

const chat = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'chat',
	operation,
	...extra,
});

describe('chat → create, get, addUsers', () => {
	it('create outputs {chatId, dialogId} that Send, Get and Add Users accept', async () => {
		const created = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ users: [3, '7'] }],
			parameters: chat('create', {
				title: 'Incident 42',
				users: people(fromItem('users'), 3),
				additionalFields: {
					type: 'open',
					color: 'RED',
					description: 'War room',
					message: 'Welcome',
					ownerId: { __rl: true, mode: 'list', value: '3' },
				},
			}),
		});
		expect(created.status).toBe('success');
		const { chatId, dialogId } = created.output[0].json as { chatId: number; dialogId: string };
		expect(dialogId).toBe(`chat${chatId}`);
		expect(callsOf('im.chat.add')[0].params).toMatchObject({
			TITLE: 'Incident 42',
			TYPE: 'OPEN',
			COLOR: 'RED',
			DESCRIPTION: 'War room',
			MESSAGE: 'Welcome',
			OWNER_ID: 3,
			USERS: [3, 7],
		});
		expect(portal().messages.map((message) => [message.dialogId, message.message])).toEqual([[dialogId, 'Welcome']]);

		const sent = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: {
				authentication: 'webhook',
				dialogId: { __rl: true, mode: 'id', value: dialogId },
				message: 'Status: investigating',
			},
		});
		expect(sent.status).toBe('success');

		const added = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ chatId }, { chatId: dialogId }],
			parameters: chat('addUsers', { dialogId: dialogById(fromItem('chatId')), users: people(9, 10, 9) }),
		});
		// The second item finds both people in the chat already: Bitrix24 answers WRONG_REQUEST,
		// and the member list shows the wanted state holds.
		expect(added.output.map((item) => item.json)).toEqual([
			{ chatId, added: true },
			{ chatId, added: true, alreadyMembers: [9, 10] },
		]);
		// Two items go in one batch, whose commands arrive as PHP decodes a query string: as text.
		expect(callsOf('im.chat.user.add').map((call) => [call.via, call.params])).toEqual([
			['batch', { CHAT_ID: String(chatId), USERS: ['9', '10'] }],
			['batch', { CHAT_ID: String(chatId), USERS: ['9', '10'] }],
		]);

		const got = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: chat('get', { dialogId: { __rl: true, mode: 'id', value: dialogId } }),
		});
		expect(got.output[0].json).toEqual({
			chatId,
			dialogId,
			type: 'open',
			title: 'Incident 42',
			ownerId: 3,
			userCount: 5,
		});
	});

	it('create is not repeated when its answer was lost (a second chat would appear)', async () => {
		portal().inject({ method: 'im.chat.add', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: chat('create', { title: 'Once' }),
		});
		expect(result.error?.message).toMatch(/the chat may or may not have been created/);
		expect(portal().chats.size).toBe(1);
	});

	it('addUsers is repeated when its answer was lost: adding members again is harmless', async () => {
		portal().inject({ method: 'im.chat.user.add', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: chat('addUsers', { dialogId: dialogById('12'), users: people('4') }),
		});
		expect(result.status).toBe('success');
		expect(callsOf('im.chat.user.add')).toHaveLength(2);
	});

	it('checks chat IDs, user IDs and the title before sending, naming field and item', async () => {
		const cases: Array<[INodeParameters, RegExp]> = [
			[
				chat('addUsers', { dialogId: dialogById(fromItem('chat')), users: people('3') }),
				/^Invalid "Dialog" in item 1: "chatx" is not a group chat/,
			],
			[
				chat('addUsers', { dialogId: { __rl: true, mode: 'list', value: fromItem('private') }, users: people('3') }),
				/^Invalid "Dialog" in item 1: "7" is not a group chat/,
			],
			[
				chat('addUsers', { dialogId: dialogById('5'), users: people('4', fromItem('users')) }),
				/^Invalid "Users" in item 1: person 2: "x" is not a user ID/,
			],
			[
				chat('addUsers', { dialogId: dialogById('5'), users: people(fromItem('none')) }),
				/^Invalid "Users" in item 1: no one given/,
			],
			[
				chat('create', { title: 'ok', additionalFields: { ownerId: dialogById(fromItem('users')) } }),
				/^Invalid "Owner" in item 1: "3, x" is not a user ID/,
			],
			[chat('create', { title: fromItem('title') }), /^Invalid "Title" in item 1: it is empty/],
			[chat('get', { dialogId: { __rl: true, mode: 'id', value: fromItem('chat') } }), /^Invalid "Dialog" in item 1/],
		];
		for (const [parameters, expected] of cases) {
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: [
					{ chat: 'chat5', private: 'chat5', users: '3', none: '4', title: 'ok' },
					{ chat: 'chatx', private: '7', users: '3, x', none: '', title: '  ' },
				],
				parameters,
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(expected);
		}
		expect(portal().calls).toEqual([]);
	});

	it('get of a chat the user cannot see is ACCESS_ERROR with the hint', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: chat('get', { dialogId: { __rl: true, mode: 'id', value: 'chat9999' } }),
		});
		expect(result.error?.message).toMatch(/^ACCESS_ERROR: .*\(HTTP 403\)/);
	});
});
