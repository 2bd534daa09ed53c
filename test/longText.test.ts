import { runBitrix24 } from './harness/runWorkflow';
import { fromItem, richJson, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const length = (text: string) => Array.from(text).length;

/** About 45,000 characters in paragraphs, with a [code] block and bold text spanning the cuts. */
function longText(): string {
	const paragraphs: string[] = [];
	for (let index = 0; index < 300; index++) {
		const words = Array.from({ length: 20 }, (_, word) => `w${index}-${word}`).join(' ');
		paragraphs.push(
			index % 50 === 7
				? `[code]\n${words}\n  ${words}\n[/code]`
				: index % 10 === 3
					? `[b]${words}\n${words}[/b]`
					: words,
		);
	}
	return paragraphs.join('\n\n');
}

const words = (text: string) =>
	text
		.replace(/\[\/?(?:b|code)\]/g, ' ')
		.split(/\s+/)
		.filter(Boolean);

describe.each([
	['batching on', true],
	['batching off', false],
])('a text over 20,000 characters (%s)', (_label, batching) => {
	it('is posted as several messages in order, reply on the first, attachment, keyboard and menu on the last', async () => {
		const text = longText();
		expect(length(text)).toBeGreaterThan(40_000);
		const seed = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ message: 'the message replied to' }),
		});
		const replyTo = seed.output[0].json.messageId as number;
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ text }],
			parameters: sendParameters({
				message: fromItem('text'),
				additionalFields: { replyId: replyTo, system: true },
				attach: richJson('[{"MESSAGE": "under the text"}]'),
				keyboard: richJson('[{"TEXT": "Open", "LINK": "/a"}]'),
				menu: richJson('[{"TEXT": "Copy", "ACTION": "COPY", "ACTION_VALUE": "1"}]'),
				options: { batching },
			}),
		});
		expect(result.error).toBeUndefined();
		const messages = portal().messages.slice(1);
		expect(messages.length).toBeGreaterThanOrEqual(3);
		for (const message of messages) {
			expect(message.dialogId).toBe('chat1');
			expect(message.system).toBe('Y');
			expect(length(message.message)).toBeLessThanOrEqual(20_000);
			// No block is left open across two messages.
			expect(message.message.split('[b]').length).toBe(message.message.split('[/b]').length);
			expect(message.message.split('[code]').length).toBe(message.message.split('[/code]').length);
		}
		// Nothing lost, nothing reordered: the words come back in order.
		expect(words(messages.map((message) => message.message).join('\n'))).toEqual(words(text));
		expect(messages.map((message) => message.replyId)).toEqual(
			messages.map((_, index) => (index === 0 ? replyTo : undefined)),
		);
		const last = messages.length - 1;
		expect(
			messages.map((message) => [message.attach, message.keyboard, message.menu].every((value) => value !== undefined)),
		).toEqual(messages.map((_, index) => index === last));
		expect(result.output.map((item) => item.json)).toMatchObject([
			{
				messageId: messages[0].id,
				messageIds: messages.map((message) => message.id),
				dialogId: 'chat1',
				text: messages.map((message) => message.message).join('\n'),
			},
		]);
	});

	it('keeps the chat in order around other items', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ text: 'before' }, { text: longText() }, { text: 'after' }],
			parameters: sendParameters({ message: fromItem('text'), options: { batching } }),
		});
		expect(result.error).toBeUndefined();
		const texts = portal().messages.map((message) => message.message);
		expect(texts[0]).toBe('before');
		expect(texts[texts.length - 1]).toBe('after');
		expect(words(texts.slice(1, -1).join('\n'))).toEqual(words(longText()));
		expect(result.output.map((item) => item.json.messageId)).toEqual([
			portal().messages[0].id,
			portal().messages[1].id,
			portal().messages[texts.length - 1].id,
		]);
		expect(result.output[1].json.messageIds).toHaveLength(texts.length - 2);
	});
});

it('with Long Text = Fail, the item fails naming the field, and nothing is sent', async () => {
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		items: [{ text: 'short' }, { text: longText() }],
		parameters: sendParameters({ message: fromItem('text'), options: { longText: 'fail' } }),
	});
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(
		/^Invalid "Message" in item 1: the text is \d+ characters long; Bitrix24 keeps only the first 20000/,
	);
	expect(portal().stats.httpRequests).toBe(0);
});

it('with continue-on-fail, a failed part stops that item (later parts are not sent) and the next items go on', async () => {
	portal().inject({ kind: 'error', code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 });
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		items: [{ text: longText() }, { text: 'next item' }],
		parameters: sendParameters({ message: fromItem('text') }),
		onError: 'continueRegularOutput',
	});
	expect(portal().messages.map((message) => message.message)).toEqual(['next item']);
	expect(result.output[0].json.code).toBe('ACCESS_ERROR');
	expect(result.output[0].json.error).toMatch(
		/split into \d+ messages; part 1 failed, no part was posted, later parts were not sent/,
	);
	expect(result.output[1].json).toMatchObject({
		messageId: portal().messages[0].id,
		dialogId: 'chat1',
		text: 'next item',
	});
});

it.each([
	['batching on', true],
	['batching off', false],
])(
	'a part failing half-way (%s): the item says which parts are in the chat, and later parts are not sent',
	async (_label, batching) => {
		portal().inject({ kind: 'error', skip: 1, code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ text: longText() }, { text: 'next item' }],
			parameters: sendParameters({ message: fromItem('text'), options: { batching } }),
			onError: 'continueRegularOutput',
		});
		const [firstPart, nextItem] = portal().messages;
		expect(portal().messages).toHaveLength(2);
		expect(nextItem.message).toBe('next item');
		expect(result.output[0].json).toEqual({
			error: expect.stringMatching(
				/split into 3 messages; part 2 failed, part 1 was posted \(message IDs \d+\), later parts were not sent/,
			),
			code: 'ACCESS_ERROR',
			messageIds: [firstPart.id],
		});
		expect(result.output[1].json).toMatchObject({ messageId: nextItem.id, dialogId: 'chat1', text: 'next item' });
	},
);

it('without continue-on-fail, a part failing half-way stops the run with the same explanation', async () => {
	portal().inject({ kind: 'error', skip: 1, code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 });
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		items: [{ text: longText() }, { text: 'next item' }],
		parameters: sendParameters({ message: fromItem('text') }),
	});
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(/part 2 failed, part 1 was posted/);
	expect(portal().messages).toHaveLength(1);
});
