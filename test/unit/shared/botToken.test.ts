import { botTokenState, withBotToken } from '../../../nodes/Bitrix24/shared/botToken';

const TOKEN = 'tok-123';

describe('withBotToken (the webhook credential adds the bot token)', () => {
	it('puts it beside botId for imbot.v2 methods, inside fields for Bot.register', () => {
		expect(withBotToken(TOKEN, { url: 'imbot.v2.Chat.Message.send.json', body: { botId: 1 } }).body).toEqual({
			botId: 1,
			botToken: TOKEN,
		});
		expect(withBotToken(TOKEN, { url: 'imbot.v2.Bot.register.json', body: { fields: { code: 'a' } } }).body).toEqual({
			fields: { code: 'a', botToken: TOKEN },
		});
	});

	it('adds it to a ready JSON body (file upload) without parsing it', () => {
		const body = Buffer.from('{"botId":1,"fields":{"content":"QUJD"}}');
		const out = withBotToken(TOKEN, { url: 'imbot.v2.File.upload.json', body }).body as Buffer;
		expect(JSON.parse(out.toString())).toEqual({ botToken: TOKEN, botId: 1, fields: { content: 'QUJD' } });
	});

	it('leaves every other request alone: other methods, absolute URLs, batch, unusable tokens', () => {
		for (const url of ['im.message.add.json', 'https://other.example/imbot.v2.Chat.Message.send', 'batch.json']) {
			expect(withBotToken(TOKEN, { url, body: { a: 1 } }).body).toEqual({ a: 1 });
		}
		expect(withBotToken('x'.repeat(41), { url: 'imbot.v2.Bot.list.json', body: {} }).body).toEqual({});
		expect(withBotToken(undefined, { url: 'imbot.v2.Bot.list.json', body: {} }).body).toEqual({});
	});

	it('states: missing, too long, bad characters, set', () => {
		expect(['', ' ', 'x'.repeat(41), 'a b', TOKEN].map(botTokenState)).toEqual([
			'missing',
			'missing',
			'tooLong',
			'badCharacters',
			'set',
		]);
	});
});
