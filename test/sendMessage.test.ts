import { runBitrix24 } from './harness/runWorkflow';
import { fromItem, richJson, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const ATTACH = {
	ID: 1,
	COLOR_TOKEN: 'primary',
	BLOCKS: [
		{ MESSAGE: 'Deploy [b]finished[/b] & ok = yes' },
		{ LINK: { NAME: 'Release notes', LINK: 'https://example.com/notes?a=1&b=[2]', DESC: '100% done + more' } },
		{ DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
		{ GRID: [{ DISPLAY: 'LINE', NAME: 'Build', VALUE: '#42' }] },
		{ IMAGE: [{ LINK: '/upload/image.png', NAME: 'chart' }] },
		{ FILE: [{ LINK: 'https://example.com/report.pdf', NAME: 'report.pdf', SIZE: 1024 }] },
		{ USER: { NAME: 'Ann', AVATAR: 'https://example.com/a.png', LINK: '/company/personal/user/3/' } },
	],
};
const KEYBOARD = {
	BUTTONS: [
		{ TEXT: 'Open', LINK: 'https://example.com', BG_COLOR: '#29619b', TEXT_COLOR: '#ffffff', DISPLAY: 'LINE' },
		{ TYPE: 'NEWLINE' },
		{ TEXT: 'Say hi', ACTION: 'SEND', ACTION_VALUE: 'hi\nthere' },
	],
};
const MENU = { ITEMS: [{ TEXT: 'Copy ID', ACTION: 'COPY', ACTION_VALUE: '42' }] };

/**
 * Inside a batch, parameters travel as a PHP query string, so Bitrix24 (like the fake portal,
 * which decodes them as PHP does) receives numbers as strings.
 */
const asBatchDecoded = (value: unknown, batched: boolean): unknown =>
	batched
		? JSON.parse(JSON.stringify(value), (_key, entry) => (typeof entry === 'number' ? String(entry) : entry))
		: value;

async function seedMessage(dialog = 'chat1'): Promise<number> {
	const seed = await runBitrix24({
		credentials: webhookCredentials(portal()),
		parameters: sendParameters({ dialogId: { __rl: true, mode: 'id', value: dialog }, message: 'seed' }),
	});
	expect(seed.status).toBe('success');
	return seed.output[0].json.messageId as number;
}

describe.each([
	['batching on', true, 'batch'],
	['batching off', false, 'direct'],
])('send a chat message (%s)', (_label, batching, via) => {
	it('delivers every parameter as im.message.add expects and outputs the message id', async () => {
		const replyTo = await seedMessage();
		const text = 'Status: [b]green[/b] [url=https://example.com/?a=1&b=2]build[/url]\nnext line';
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ text: 'first' }, { text: 'second' }],
			parameters: sendParameters({
				message: text,
				attach: richJson(JSON.stringify(ATTACH)),
				keyboard: richJson(JSON.stringify(KEYBOARD)),
				menu: richJson(JSON.stringify(MENU)),
				additionalFields: {
					system: true,
					urlPreview: false,
					replyId: replyTo,
				},
				options: { batching },
			}),
		});

		expect(result.error).toBeUndefined();
		const delivered = portal().messages.slice(1);
		expect(delivered).toHaveLength(2);
		for (const message of delivered) {
			expect(message).toMatchObject({
				dialogId: 'chat1',
				message: text,
				attach: asBatchDecoded(ATTACH, batching),
				keyboard: asBatchDecoded(KEYBOARD, batching),
				menu: asBatchDecoded(MENU, batching),
				system: 'Y',
				urlPreview: 'N',
				replyId: replyTo,
				via,
				auth: 'webhook',
			});
		}
		// The message as sent, where it is, and a link that opens it in Bitrix24's messenger.
		const link = (id: number) => `${portal().url}/online/?IM_DIALOG=chat1&IM_MESSAGE=${id}`;
		expect(result.output.map((item) => item.json)).toEqual([
			{ messageId: delivered[0].id, dialogId: 'chat1', chatId: 1, text, link: link(delivered[0].id) },
			{ messageId: delivered[1].id, dialogId: 'chat1', chatId: 1, text, link: link(delivered[1].id) },
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
	});

	it('accepts attach, keyboard and menu as objects from an expression', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ attach: ATTACH.BLOCKS, keyboard: KEYBOARD.BUTTONS, menu: MENU.ITEMS }],
			parameters: sendParameters({
				message: '',
				attach: richJson(fromItem('attach')),
				keyboard: richJson(fromItem('keyboard')),
				menu: richJson(fromItem('menu')),
				options: { batching },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);
		expect(portal().messages[0]).toMatchObject({ attach: ATTACH.BLOCKS, keyboard: KEYBOARD.BUTTONS, menu: MENU.ITEMS });
	});

	it('keeps unicode and BB-code text unchanged, per item, in order', async () => {
		const texts = [
			'Привет, [b]мир[/b]! 👋🏽 — «quotes» & ampersand = equals',
			'[user=1]Ann[/user] [chat=5]ops[/chat] [code]a[0] = b % c + d[/code]',
			'中文 العربية עברית 🇺🇦 [s]old[/s] [i]new[/i] [u]u[/u]',
		];
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: texts.map((text, index) => ({ text, dialog: `chat${index + 1}` })),
			parameters: sendParameters({
				dialogId: { __rl: true, mode: 'id', value: fromItem('dialog') },
				message: fromItem('text'),
				options: { batching },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages.map((message) => [message.dialogId, message.message])).toEqual(
			texts.map((text, index) => [`chat${index + 1}`, text]),
		);
		expect(result.output.map((item) => item.json.dialogId)).toEqual(['chat1', 'chat2', 'chat3']);
	});

	it('sends to users, group chats and workgroup chats', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ dialog: '7' }, { dialog: 'chat12' }, { dialog: 'sg3' }],
			parameters: sendParameters({
				dialogId: { __rl: true, mode: 'id', value: fromItem('dialog') },
				options: { batching },
			}),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages.map((message) => message.dialogId)).toEqual(['7', 'chat12', 'sg3']);
	});
});

it('in a batch, a structure a PHP query string cannot carry (an empty object) still arrives intact', async () => {
	const attach = [{ MESSAGE: 'with an empty delimiter' }, { DELIMITER: {} }];
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		items: [{}, {}],
		parameters: sendParameters({
			attach: richJson(JSON.stringify(attach)),
			options: { batching: true },
		}),
	});
	expect(result.error).toBeUndefined();
	expect(portal().messages.map((message) => message.via)).toEqual(['batch', 'batch']);
	expect(portal().messages.map((message) => message.attach)).toEqual([attach, attach]);
});

it('sends only the fields the user set (Bitrix24 defaults apply to the rest)', async () => {
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		parameters: sendParameters({ options: { batching: false } }),
	});
	expect(result.error).toBeUndefined();
	const call = portal().calls.find((entry) => entry.method === 'im.message.add');
	expect(call?.params).toEqual({ DIALOG_ID: 'chat1', MESSAGE: 'Hello from n8n' });
});

it('accepts the webhook URL with a trailing method name or without the trailing slash', async () => {
	for (const webhookUrl of [portal().webhookUrl + 'profile.json', portal().webhookUrl.replace(/\/$/, '')]) {
		const result = await runBitrix24({
			credentials: { bitrix24WebhookApi: { webhookUrl } },
			parameters: sendParameters(),
		});
		expect(result.error).toBeUndefined();
	}
	expect(portal().messages).toHaveLength(2);
});
