/**
 * Methods: im.message.add (envelope, bodies, validation), the directory methods and the demo page.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { useFakePortal } from './harness/fixtures';
import { type Answer, postForm, postJson, send } from './harness/portalHttp';

describe('fake Bitrix24 portal', () => {
	const portal = useFakePortal();

	describe('webhook calls', () => {
		it('creates a message from a JSON body and answers the success envelope', async () => {
			const answer = await postJson(`${portal().webhookUrl}im.message.add.json`, {
				DIALOG_ID: 'chat7',
				MESSAGE: '  Hello [b]world[/b]\n ',
				SYSTEM: 'Y',
				URL_PREVIEW: 'N',
			});
			expect(answer.status).toBe(200);
			expect(answer.body.result).toBe(1001);
			const time = answer.body.time as Record<string, unknown>;
			expect(Object.keys(time).sort()).toEqual(
				[
					'date_finish',
					'date_start',
					'duration',
					'finish',
					'operating',
					'operating_reset_at',
					'processing',
					'start',
				].sort(),
			);
			expect(portal().messages).toEqual([
				{
					id: 1001,
					dialogId: 'chat7',
					message: 'Hello [b]world[/b]',
					system: 'Y',
					urlPreview: 'N',
					via: 'direct',
					auth: 'webhook',
					authorId: 1,
				},
			]);
			expect(portal().calls).toEqual([
				{
					method: 'im.message.add',
					params: expect.objectContaining({ DIALOG_ID: 'chat7' }),
					via: 'direct',
					outcome: 'ok',
				},
			]);
		});

		it('reads PHP-style nested form fields and query strings', async () => {
			const form =
				'DIALOG_ID=5&MESSAGE=a%26b%3Dc+d&ATTACH[0][MESSAGE]=note&KEYBOARD[BUTTONS][0][TEXT]=Open&KEYBOARD[BUTTONS][0][LINK]=https%3A%2F%2Fexample.com';
			const answer = await postForm(`${portal().webhookUrl}im.message.add?REPLY_ID=0`, form);
			expect(answer.body.result).toBe(1001);
			expect(portal().messages[0]).toMatchObject({
				dialogId: '5',
				message: 'a&b=c d',
				attach: [{ MESSAGE: 'note' }],
				keyboard: { BUTTONS: [{ TEXT: 'Open', LINK: 'https://example.com' }] },
			});
		});

		it('answers 404 ERROR_METHOD_NOT_FOUND for an unknown method', async () => {
			const answer = await send(`${portal().webhookUrl}im.message.fly`);
			expect(answer.status).toBe(404);
			expect(answer.body.error).toBe('ERROR_METHOD_NOT_FOUND');
		});

		it('drops an invalid JSON body silently, so the call fails with MESSAGE_EMPTY', async () => {
			const answer = await send(`${portal().webhookUrl}im.message.add`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{"DIALOG_ID": "1", "MESSAGE": "unterminated',
			});
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: 'MESSAGE_EMPTY',
				error_description: "Message can't be empty",
			});
		});
	});

	describe('im.message.add validation', () => {
		const add = (params: Record<string, unknown>): Promise<Answer> =>
			postJson(`${portal().webhookUrl}im.message.add`, params);

		it.each<[Record<string, unknown>, number, string]>([
			[{ DIALOG_ID: '', MESSAGE: 'x' }, 400, 'USER_ID_EMPTY'],
			[{ DIALOG_ID: 'chat0', MESSAGE: 'x' }, 400, 'CHAT_ID_EMPTY'],
			[{ DIALOG_ID: 51, MESSAGE: 'x' }, 400, 'USER_NOT_FOUND'],
			[{ DIALOG_ID: 'chat501', MESSAGE: 'x' }, 403, 'ACCESS_ERROR'],
			[{ DIALOG_ID: 'sg21', MESSAGE: 'x' }, 403, 'ACCESS_ERROR'],
			[{ DIALOG_ID: 1, MESSAGE: ' \n\t ' }, 400, 'MESSAGE_EMPTY'],
			[{ DIALOG_ID: 1, ATTACH: '{not json' }, 400, 'ATTACH_ERROR'],
			[{ DIALOG_ID: 1, ATTACH: [{ IMAGE: { LINK: 'ftp://x' } }] }, 400, 'ATTACH_ERROR'],
			[{ DIALOG_ID: 1, ATTACH: [{ MESSAGE: 'y'.repeat(60001) }] }, 400, 'ATTACH_OVERSIZE'],
			[{ DIALOG_ID: 1, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'no action' }, { TYPE: 'NEWLINE' }] }, 400, 'KEYBOARD_ERROR'],
			[{ DIALOG_ID: 1, MESSAGE: 'x', MENU: { ITEMS: [{ LINK: 'https://x.y' }] } }, 400, 'MENU_ERROR'],
			[{ DIALOG_ID: 1, MESSAGE: 'x', REPLY_ID: 99999 }, 403, 'REPLY_ACCESS_ERROR'],
		])('%# → %i %s', async (params, status, code) => {
			const answer = await add(params);
			expect(answer.status).toBe(status);
			expect(answer.body.error).toBe(code);
			expect(portal().messages).toHaveLength(0);
		});

		it('accepts an ATTACH alone, as a JSON string, and keeps the parsed structure', async () => {
			const attach = {
				COLOR_TOKEN: 'primary',
				BLOCKS: [{ LINK: { LINK: 'https://example.com', NAME: 'Example' } }],
			};
			const answer = await add({ DIALOG_ID: 'sg3', ATTACH: JSON.stringify(attach) });
			expect(answer.status).toBe(200);
			expect(portal().messages[0]).toMatchObject({ dialogId: 'sg3', message: '', attach });
		});

		it('allows a reply in the same chat only', async () => {
			const first = await add({ DIALOG_ID: 'chat1', MESSAGE: 'first' });
			const sameChat = await add({
				DIALOG_ID: 'chat1',
				MESSAGE: 'reply',
				REPLY_ID: first.body.result,
			});
			const otherChat = await add({
				DIALOG_ID: 'chat2',
				MESSAGE: 'reply',
				REPLY_ID: first.body.result,
			});
			expect(sameChat.body.result).toBe(1002);
			expect(portal().messages[1].replyId).toBe(1001);
			expect(otherChat.status).toBe(403);
			expect(otherChat.body.error).toBe('REPLY_FROM_OTHER_CHAT_ERROR');
		});

		it('cuts a message over 20,000 characters silently, counting code points', async () => {
			const answer = await add({ DIALOG_ID: 1, MESSAGE: '😀'.repeat(20005) });
			expect(answer.status).toBe(200);
			expect(Array.from(portal().messages[0].message)).toHaveLength(20000);
		});
	});

	describe('directory methods', () => {
		it('im.recent.list pages through 120 seeded entries', async () => {
			const firstPage = await send(`${portal().webhookUrl}im.recent.list?LIMIT=100`);
			const page = firstPage.body.result as {
				items: Array<{ id: unknown; type: string; title: string }>;
				hasMorePages: boolean;
			};
			expect(page.items).toHaveLength(100);
			expect(page.hasMorePages).toBe(true);
			const rest = (await send(`${portal().webhookUrl}im.recent.list?OFFSET=100&LIMIT=100`)).body.result as typeof page;
			expect(rest.items).toHaveLength(20);
			expect(rest.hasMorePages).toBe(false);
			const titles = [...page.items, ...rest.items].map((item) => item.title);
			expect(new Set(titles).size).toBe(120);
			expect(titles).toContain('Отдел продаж');
			const chatsOnly = (await send(`${portal().webhookUrl}im.recent.list?SKIP_DIALOG=Y&LIMIT=200`)).body
				.result as typeof page;
			expect(chatsOnly.items.every((item) => item.type === 'chat')).toBe(true);
			expect(chatsOnly.items).toHaveLength(80);
		});

		it('profile answers the webhook user', async () => {
			const answer = await send(`${portal().webhookUrl}profile`);
			expect(answer.body.result).toMatchObject({ ID: '1', ADMIN: true });
		});
	});

	it('/_demo lists messages with HTML escaped; /_demo/messages gives JSON', async () => {
		await postJson(`${portal().webhookUrl}im.message.add`, {
			DIALOG_ID: 1,
			MESSAGE: '<script>alert(1)</script>',
		});
		const page = await send(`${portal().url}/_demo`);
		expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(page.text).not.toContain('<script>');
		const list = await fetch(`${portal().url}/_demo/messages`).then((response) => response.json());
		expect(list).toEqual([expect.objectContaining({ id: 1001, message: '<script>alert(1)</script>' })]);
	});
});
