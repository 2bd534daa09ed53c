import type { INodeParameters } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import { fromItem, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const KEYBOARD = [{ TEXT: 'Open', LINK: 'https://example.com' }];
const ATTACH = [{ MESSAGE: 'Deploy [b]finished[/b]' }];

const update = (extra: INodeParameters = {}): INodeParameters => ({
	authentication: 'webhook',
	resource: 'message',
	operation: 'update',
	messageId: fromItem('messageId'),
	...extra,
});

const updateCalls = () => portal().calls.filter((call) => call.method === 'im.message.update');

/** Send → the "status message" that later updates change. */
async function sendStatus(count = 1): Promise<number[]> {
	const sent = await runBitrix24({
		credentials: webhookCredentials(portal()),
		items: Array.from({ length: count }, (_, index) => ({ text: `Deploy ${index} started` })),
		parameters: sendParameters({
			message: fromItem('text'),
			keyboard: { content: { mode: 'json', json: JSON.stringify(KEYBOARD) } },
		}),
	});
	expect(sent.status).toBe('success');
	return sent.output.map((item) => item.json.messageId as number);
}

describe.each([
	['batching on', true, 'batch'],
	['batching off', false, 'direct'],
])('message → update (%s)', (_label, batching, via) => {
	it('changes the text of each message and outputs {messageId, updated: true}', async () => {
		const ids = await sendStatus(2);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: ids.map((messageId, index) => ({ messageId, text: `Deploy ${index} finished ✓` })),
			parameters: update({ message: fromItem('text'), options: { batching } }),
		});
		expect(result.status).toBe('success');
		expect(result.output.map((item) => item.json)).toEqual(ids.map((messageId) => ({ messageId, updated: true })));
		expect(portal().messages.map((message) => [message.message, message.edited, message.keyboard])).toEqual([
			['Deploy 0 finished ✓', true, KEYBOARD],
			['Deploy 1 finished ✓', true, KEYBOARD],
		]);
		expect(updateCalls().map((call) => call.via)).toEqual([via, via]);
	});

	it('empty text keeps the text (no MESSAGE is sent); Remove takes the keyboard off with N', async () => {
		const ids = await sendStatus(2);
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [
				{ messageId: ids[0], text: '' },
				{ messageId: ids[1], text: '  \n ' },
			],
			parameters: update({
				message: fromItem('text'),
				remove: ['keyboard'],
				additionalFields: { isEdited: false },
				options: { batching },
			}),
		});
		expect(result.status).toBe('success');
		expect(updateCalls().map((call) => String(call.params.MESSAGE_ID))).toEqual(ids.map(String));
		for (const call of updateCalls()) {
			expect(call.params).not.toHaveProperty('MESSAGE');
			expect(call.params).toMatchObject({ KEYBOARD: 'N', IS_EDITED: 'N' });
		}
		expect(portal().messages.map((message) => [message.message, message.deleted, message.keyboard])).toEqual([
			['Deploy 0 started', undefined, undefined],
			['Deploy 1 started', undefined, undefined],
		]);
	});
});

describe('message → update: safety', () => {
	it('an update with nothing to change is refused before sending: empty text never deletes', async () => {
		const [messageId] = await sendStatus();
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ messageId }],
			parameters: update({ message: '' }),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Invalid "Message" in item 0: nothing to change/);
		expect(updateCalls()).toEqual([]);
		expect(portal().messages[0]).toMatchObject({ message: 'Deploy 0 started' });
		expect(portal().messages[0].deleted).toBeUndefined();
	});

	it('the fake portal, like Bitrix24, deletes a message updated with an empty MESSAGE (what the node avoids)', async () => {
		const [messageId] = await sendStatus();
		const response = await fetch(`${portal().webhookUrl}im.message.update.json`, {
			method: 'POST',
			headers: { 'content-type': 'application/json' },
			body: JSON.stringify({ MESSAGE_ID: messageId, MESSAGE: ' ' }),
		});
		expect(await response.json()).toMatchObject({ result: true });
		expect(portal().messages[0].deleted).toBe(true);
	});

	it('sets an attachment given as JSON and checks it before sending', async () => {
		const [messageId] = await sendStatus();
		const ok = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ messageId }],
			parameters: update({ attach: { content: { mode: 'json', json: JSON.stringify(ATTACH) } } }),
		});
		expect(ok.status).toBe('success');
		expect(portal().messages[0]).toMatchObject({ message: 'Deploy 0 started', attach: ATTACH });
		const bad = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ messageId }],
			parameters: update({ attach: { content: { mode: 'json', json: '[{"LINK": {"NAME": "x"}}]' } } }),
		});
		expect(bad.error?.message).toMatch(/^Invalid "Attachment" in item 0/);
		expect(updateCalls()).toHaveLength(1);
	});

	it("someone else's message: CANT_EDIT_MESSAGE with the hint about authors and the edit window", async () => {
		const { id } = portal().seedMessage({ dialogId: 'chat1', message: 'theirs', authorId: 9 });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ messageId: id }],
			parameters: update({ message: 'mine now' }),
		});
		expect(result.error?.message).toMatch(/^CANT_EDIT_MESSAGE: .*\(HTTP 403\)$/);
		expect(result.error?.description).toMatch(
			/Only the author can change or delete a message, and only within the edit window/,
		);
		expect(portal().messages[0].message).toBe('theirs');
	});

	it('an update whose answer was lost is sent again: the same content twice is harmless', async () => {
		const [messageId] = await sendStatus();
		portal().inject({ method: 'im.message.update', kind: 'dropAfterCreate' });
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ messageId }],
			parameters: update({ message: 'Deploy finished' }),
		});
		expect(result.status).toBe('success');
		expect(updateCalls().map((call) => call.outcome)).toEqual(['ok', 'ok']);
		expect(portal().messages[0].message).toBe('Deploy finished');
	});
});
