import type { INodeParameters } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import { startFakePortal } from './fakePortal';
import { fromItem, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

/** Posts messages through the fake portal as the webhook's own user. */
function post(count: number, dialogId = 'chat1'): number[] {
	return Array.from(
		{ length: count },
		(_, index) => portal().seedMessage({ dialogId, message: `message ${index + 1}`, authorId: 1 }).id,
	);
}

const messageParameters = (operation: string, extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'message',
	operation,
	messageId: fromItem('id'),
	...extra,
});

const callsOf = (method: string) => portal().calls.filter((call) => call.method === method);

describe.each([
	['batching on', true, 'batch'],
	['batching off', false, 'direct'],
])('message → delete (%s)', (_label, batching, via) => {
	it('deletes each message and outputs {messageId, deleted: true}', async () => {
		const ids = post(3);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id: ids[0] }, { id: String(ids[2]) }],
			parameters: messageParameters('delete', { options: { batching } }),
		});
		expect(result.status).toBe('success');
		expect(result.output.map((item) => item.json)).toEqual([
			{ messageId: ids[0], deleted: true },
			{ messageId: ids[2], deleted: true },
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }]);
		expect(portal().messages.map((message) => message.deleted === true)).toEqual([true, false, true]);
		expect(callsOf('im.message.delete').map((call) => call.via)).toEqual([via, via]);
	});

	it("a message that is already deleted is an error with Bitrix24's code and a hint, not a crash", async () => {
		const [id] = post(1);
		const first = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('delete', { options: { batching } }),
		});
		expect(first.status).toBe('success');
		const again = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }, { id }],
			parameters: messageParameters('delete', { options: { batching } }),
			onError: 'continueRegularOutput',
		});
		expect(again.status).toBe('success');
		expect(again.output.map((item) => item.json.code)).toEqual(['CANT_EDIT_MESSAGE', 'CANT_EDIT_MESSAGE']);
		expect(String(again.output[0].json.error)).toMatch(/^CANT_EDIT_MESSAGE: .*\(HTTP 403\)$/);
	});
});

describe('message → delete: safety and validation', () => {
	it('a message by someone else cannot be deleted (CANT_EDIT_MESSAGE) and stays', async () => {
		const { id } = portal().seedMessage({ dialogId: 'chat1', message: 'not mine', authorId: 7 });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('delete'),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^CANT_EDIT_MESSAGE: /);
		expect(portal().messages[0].deleted).toBeUndefined();
	});

	it('bad IDs are refused before anything is sent, naming the field and the item', async () => {
		const ids = post(1);
		for (const bad of ['abc', '', -3, 1.5, '12x']) {
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: [{ id: ids[0] }, { id: bad }],
				parameters: messageParameters('delete'),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(/^Invalid "Message ID" in item 1: /);
		}
		expect(portal().calls).toEqual([]);
		expect(portal().messages[0].deleted).toBeUndefined();
	});

	it('a delete whose answer was lost is not sent again (it may have run)', async () => {
		const [id] = post(1);
		portal().inject({ method: 'im.message.delete', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('delete'),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/the message may or may not have been deleted/);
		expect(callsOf('im.message.delete')).toHaveLength(1);
	});
});

describe('message → react', () => {
	it('like, like again, unlike: the like is set once and output as Bitrix24 leaves it', async () => {
		const [id] = post(1);
		const run = async (reaction: string) =>
			await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: [{ id }],
				parameters: messageParameters('react', { reaction }),
			});
		expect((await run('like')).output[0].json).toEqual({ messageId: id, liked: true, changed: true });
		expect(portal().messages[0].likes).toEqual([1]);
		// Already liked: Bitrix24 answers WITHOUT_CHANGES, the same code it gives a message that
		// does not exist, so outside a retry it stays an error that says both.
		const again = await run('like');
		expect(again.status).toBe('error');
		expect(again.error?.message).toMatch(/^WITHOUT_CHANGES: /);
		expect(again.error?.description).toMatch(/already as asked, and also when the message does not exist/);
		expect((await run('unlike')).output[0].json).toEqual({ messageId: id, liked: false, changed: true });
		expect(portal().messages[0].likes).toEqual([]);
		expect(callsOf('im.message.like').map((call) => call.params.ACTION)).toEqual(['plus', 'plus', 'minus']);
	});

	it('toggle flips the like; Bitrix24 does not report the new state, so liked is null', async () => {
		const [id] = post(1);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('react', { reaction: 'toggle' }),
		});
		expect(result.output[0].json).toEqual({ messageId: id, liked: null, changed: true });
		expect(callsOf('im.message.like')[0].params.ACTION).toBe('auto');
		expect(portal().messages[0].likes).toEqual([1]);
	});

	it('a like whose answer was lost is asked again, and the repeat is harmless', async () => {
		const [id] = post(1);
		portal().inject({ method: 'im.message.like', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('react', { reaction: 'like' }),
		});
		expect(result.status).toBe('success');
		expect(result.output[0].json).toEqual({ messageId: id, liked: true, changed: false });
		expect(callsOf('im.message.like').map((call) => call.outcome)).toEqual(['ok', 'WITHOUT_CHANGES']);
		expect(portal().messages[0].likes).toEqual([1]);
	});

	it('a toggle whose answer was lost is not sent again: it could flip the like back', async () => {
		const [id] = post(1);
		portal().inject({ method: 'im.message.like', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id }],
			parameters: messageParameters('react', { reaction: 'toggle' }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/the like may or may not have been changed/);
		expect(callsOf('im.message.like')).toHaveLength(1);
	});

	it('a toggle refused by the rate limit (not run) is sent again', async () => {
		// A portal of its own: the refusal slows this process's pacing for that portal for a
		// minute (adaptive pacing), which must not reach the other tests' portal.
		const refusing = await startFakePortal();
		try {
			const { id } = refusing.seedMessage({ dialogId: 'chat1', message: 'message 1', authorId: 1 });
			refusing.inject({ method: 'im.message.like', kind: 'queryLimit' });
			const result = await runBitrix24({
				credentials: webhookCredentials(refusing),
				items: [{ id }],
				parameters: messageParameters('react', { reaction: 'toggle' }),
			});
			expect(result.status).toBe('success');
			expect(refusing.messages[0].likes).toEqual([1]);
			expect(refusing.stats.queryLimitRefusals).toBe(1);
		} finally {
			await refusing.close();
		}
	});

	it.each([true, false])(
		'an already-liked item in a batch is reported at its position; the items after it still go (batching %s)',
		async (batching) => {
			const ids = post(3);
			portal().messages[1].likes = [1];
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: ids.map((id) => ({ id })),
				parameters: messageParameters('react', { reaction: 'like', options: { batching } }),
				onError: 'continueRegularOutput',
			});
			expect(result.output.map((item) => item.json.changed ?? item.json.code)).toEqual([true, 'WITHOUT_CHANGES', true]);
			expect(portal().messages.map((message) => message.likes)).toEqual([[1], [1], [1]]);
			// Each command ran once: the halted batch resumed after the settled item, nothing twice.
			expect(callsOf('im.message.like').map((call) => call.outcome)).toEqual(['ok', 'WITHOUT_CHANGES', 'ok']);
		},
	);

	it('an unknown message is WITHOUT_CHANGES (as Bitrix24 answers), never "liked", at its own position', async () => {
		const ids = post(1);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ id: 999999 }, { id: ids[0] }],
			parameters: messageParameters('react', { reaction: 'like' }),
			onError: 'continueErrorOutput',
		});
		expect(result.errorOutput.map((item) => [String(item.json.error), item.pairedItem])).toEqual([
			[expect.stringMatching(/^WITHOUT_CHANGES: /), { item: 0 }],
		]);
		expect(result.output.map((item) => [item.json.liked, item.pairedItem])).toEqual([[true, { item: 1 }]]);
	});
});

describe('message → getMany', () => {
	const getMany = (extra: INodeParameters = {}): INodeParameters => ({
		authentication: 'webhook',
		resource: 'message',
		operation: 'getMany',
		dialogId: { __rl: true, mode: 'id', value: 'chat5' },
		...extra,
	});

	function seedHistory(count: number): number[] {
		return Array.from(
			{ length: count },
			(_, index) =>
				portal().seedMessage({ dialogId: 'chat5', message: `line ${index + 1}`, authorId: (index % 3) + 1 }).id,
		);
	}

	it('returns the 50 newest messages by default, newest first, with the author names', async () => {
		const ids = seedHistory(60);
		post(2, 'chat6');
		const result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters: getMany() });
		expect(result.status).toBe('success');
		expect(result.output.map((item) => item.json.messageId)).toEqual(ids.slice(10).reverse());
		expect(result.output[0].json).toEqual({
			messageId: ids[59],
			dialogId: 'chat5',
			chatId: 5,
			authorId: 3,
			authorName: 'Пётр Петров',
			date: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
			text: 'line 60',
		});
		expect(result.output.every((item) => item.pairedItem && (item.pairedItem as { item: number }).item === 0)).toBe(
			true,
		);
	});

	it('Return All pages back through the whole history; Oldest First reads like a transcript', async () => {
		const ids = seedHistory(120);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: getMany({ returnAll: true, options: { order: 'oldestFirst' } }),
		});
		expect(result.output.map((item) => item.json.messageId)).toEqual(ids);
		const pages = callsOf('im.dialog.messages.get');
		expect(pages.map((call) => call.params.LAST_ID)).toEqual([undefined, ids[70], ids[20]]);
	});

	it('Before and After Message ID page back and forward', async () => {
		const ids = seedHistory(30);
		const before = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: getMany({ limit: 5, options: { beforeId: ids[10] } }),
		});
		expect(before.output.map((item) => item.json.messageId)).toEqual(ids.slice(5, 10).reverse());
		const after = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: getMany({ limit: 5, options: { afterId: ids[10], order: 'oldestFirst' } }),
		});
		expect(after.output.map((item) => item.json.messageId)).toEqual(ids.slice(11, 16));
		expect(callsOf('im.dialog.messages.get').at(-1)?.params).toMatchObject({ FIRST_ID: ids[10], LIMIT: 5 });
	});

	it('shows edits and likes in params', async () => {
		const [id] = post(1, 'chat5');
		portal().messages[0].likes = [4];
		portal().messages[0].edited = true;
		const result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters: getMany() });
		expect(result.output[0].json).toMatchObject({ messageId: id, params: { LIKE: [4], IS_EDITED: 'Y' } });
		expect(result.output[0].json.deleted).toBeUndefined();
	});

	it('leaves deleted messages out by default, so Limit counts the messages output', async () => {
		const ids = seedHistory(4);
		portal().messages[3].deleted = true;
		const result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters: getMany({ limit: 3 }) });
		expect(result.output.map((item) => item.json.messageId)).toEqual([ids[2], ids[1], ids[0]]);
	});

	it('Include Deleted outputs them marked deleted: true (Bitrix24 keeps them emptied)', async () => {
		const [id] = post(1, 'chat5');
		portal().messages[0].deleted = true;
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: getMany({ options: { includeDeleted: true } }),
		});
		expect(result.output[0].json).toMatchObject({
			messageId: id,
			text: '',
			deleted: true,
			params: { IS_DELETED: 'Y' },
		});
	});

	it('a chat the user cannot read is ACCESS_ERROR; a bad limit is refused before sending', async () => {
		const denied = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: getMany({ dialogId: { __rl: true, mode: 'id', value: 'chat9999' } }),
		});
		expect(denied.error?.message).toMatch(/^ACCESS_ERROR: /);
		portal().reset();
		const bad = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{}, { limit: 'ten' }],
			parameters: getMany({ limit: '={{ $json.limit ?? 3 }}' }),
		});
		expect(bad.error?.message).toMatch(/^Invalid "Limit" in item 1/);
		expect(portal().calls).toEqual([]);
	});
});
