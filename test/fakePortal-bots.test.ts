/** The fake portal's imbot.v2 methods and bot event queues, called over HTTP as a client would. */
import { FAKE_CLIENT_CODE, FAKE_WEBHOOK_CODE } from './fakePortal';
import { useFakePortal } from './harness/fixtures';
import { OAUTH_CLIENT_ID } from './harness/oauthCredential';

const portal = useFakePortal({
	webhook: { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'imbot'] },
	oauth: { clientId: OAUTH_CLIENT_ID, clientSecret: FAKE_CLIENT_CODE, scopes: ['im', 'imbot'] },
});

const TOKEN = 'ownerToken-1';

async function call(method: string, params: Record<string, unknown>) {
	const response = await fetch(`${portal().webhookUrl}${method}.json`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(params),
	});
	// Answers are read as loosely as a client's JSON: each test asserts the shape it relies on.
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	return { status: response.status, body: (await response.json()) as Record<string, any> };
}

const register = (botToken: string, name = 'Helper', code = 'helper') =>
	call('imbot.v2.Bot.register', { fields: { code, botToken, properties: { name } } });

describe('fake Bitrix24 portal: imbot.v2 bots', () => {
	it('Bot.register is idempotent for the same owner and returns the bot unchanged', async () => {
		const first = await register(TOKEN, 'Helper');
		const again = await register(TOKEN, 'Renamed');
		expect(again.body.result.bot.id).toBe(first.body.result.bot.id);
		expect(again.body.result.users[0].name).toBe('Helper');
		expect(portal().bots).toHaveLength(1);
	});

	it("another owner's code: BOT_CODE_ALREADY_TAKEN; a token over 40 characters: BOT_TOKEN_INVALID_LENGTH", async () => {
		await register(TOKEN);
		expect((await register('other-token')).body.error).toBe('BOT_CODE_ALREADY_TAKEN');
		expect((await register('y'.repeat(41), 'X', 'other')).body.error).toBe('BOT_TOKEN_INVALID_LENGTH');
	});

	it('no botToken through a webhook: BOT_TOKEN_NOT_SPECIFIED; a wrong one: BOT_OWNERSHIP_ERROR', async () => {
		const botId = (await register(TOKEN)).body.result.bot.id;
		const missing = await call('imbot.v2.Chat.Message.send', { botId, dialogId: '5', fields: { message: 'x' } });
		expect([missing.status, missing.body.error]).toEqual([400, 'BOT_TOKEN_NOT_SPECIFIED']);
		const wrong = await call('imbot.v2.Chat.Message.send', {
			botId,
			botToken: 'nope',
			dialogId: '5',
			fields: { message: 'x' },
		});
		expect([wrong.status, wrong.body.error]).toEqual([403, 'BOT_OWNERSHIP_ERROR']);
	});

	it("Bot.update changes the bot and rotates the token; Bot.list lists only the owner's bots", async () => {
		const botId = (await register(TOKEN)).body.result.bot.id;
		portal().seedBot({ code: 'foreign', name: 'Foreign', botToken: 'other' });
		const updated = await call('imbot.v2.Bot.update', {
			botId,
			botToken: TOKEN,
			fields: { properties: { name: 'New name' }, botToken: 'rotated' },
		});
		expect(updated.body.result.users[0].name).toBe('New name');
		expect((await call('imbot.v2.Bot.list', { botToken: TOKEN })).body.error).toBeUndefined();
		expect((await call('imbot.v2.Bot.list', { botToken: TOKEN })).body.result.bots).toEqual([]);
		const listed = await call('imbot.v2.Bot.list', { botToken: 'rotated' });
		expect(listed.body.result.bots.map((bot: { code: string }) => bot.code)).toEqual(['helper']);
	});

	it('Event.get: a private message, a mention in a group (bot type sees only mentions), a typed command, a join; offset confirms', async () => {
		const botId = (await register(TOKEN)).body.result.bot.id;
		await call('imbot.v2.Command.register', {
			botId,
			botToken: TOKEN,
			fields: { command: 'status', title: { en: 'Status' } },
		});
		portal().writeToBot(botId, 4, 'hello bot');
		portal().addBotToChat(botId, 'chat2', 3);
		portal().postMessage({ authorId: 3, dialogId: 'chat2', text: 'not for the bot' });
		portal().mentionBot(botId, 'chat2', 3, 'please look');
		portal().writeToBot(botId, 4, '/status now');
		const page = await call('imbot.v2.Event.get', { botId, botToken: TOKEN, limit: 3 });
		const { events, nextOffset, hasMore } = page.body.result;
		expect(events.map((event: { type: string }) => event.type)).toEqual([
			'ONIMBOTV2MESSAGEADD',
			'ONIMBOTV2JOINCHAT',
			'ONIMBOTV2MESSAGEADD',
		]);
		expect(events[0].data.chat.dialogId).toBe('4');
		expect(events[0].data.bot.id).toBe(botId);
		expect(events[2].data.message.text).toContain('please look');
		expect(hasMore).toBe(true);
		expect(nextOffset).toBe(events[2].eventId + 1);
		const rest = await call('imbot.v2.Event.get', { botId, botToken: TOKEN, offset: nextOffset });
		expect(rest.body.result.events.map((event: { type: string }) => event.type)).toEqual(['ONIMBOTV2COMMANDADD']);
		expect(rest.body.result.events[0].data.command).toMatchObject({
			command: '/status',
			params: 'now',
			context: 'textarea',
		});
		// The offset confirmed the first page for every reader.
		expect(portal().pendingBotEvents(botId)).toHaveLength(1);
	});

	it('a supervisor bot sees every message of its chats; no bot gets its own messages', async () => {
		const { id } = portal().seedBot({ code: 'watcher', name: 'Watcher', type: 'supervisor', botToken: TOKEN });
		portal().addBotToChat(id, 'chat5');
		portal().postMessage({ authorId: 2, dialogId: 'chat5', text: 'anything' });
		await call('imbot.v2.Chat.Message.send', {
			botId: id,
			botToken: TOKEN,
			dialogId: 'chat5',
			fields: { message: 'mine' },
		});
		expect(
			portal()
				.pendingBotEvents(id)
				.map((event) => event.type),
		).toEqual(['ONIMBOTV2JOINCHAT', 'ONIMBOTV2MESSAGEADD']);
	});

	it('without the imbot scope: insufficient_scope', async () => {
		portal().setWebhookScopes(['im']);
		expect((await register(TOKEN)).body.error).toBe('insufficient_scope');
	});
});
