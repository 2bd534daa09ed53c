import { runBitrix24 } from './harness/runWorkflow';
import { fromItem, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

// Item 1 fails validation, item 3 fails at Bitrix24 (no such user); items 0, 2 and 4 are delivered.
const ITEMS = [
	{ dialog: 'chat1', text: 'zero' },
	{ dialog: 'chat1', text: '' },
	{ dialog: 'chat2', text: 'two' },
	{ dialog: '999999', text: 'three' },
	{ dialog: 'chat3', text: 'four' },
];
const parameters = (batching: boolean) =>
	sendParameters({
		dialogId: { __rl: true, mode: 'id', value: fromItem('dialog') },
		message: fromItem('text'),
		options: { batching },
	});

describe.each([true, false])('continue on fail (batching %s)', (batching) => {
	it('"Continue": each failed item becomes {error, code} at its own position', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: ITEMS,
			parameters: parameters(batching),
			onError: 'continueRegularOutput',
		});
		expect(result.status).toBe('success');
		expect(portal().messages.map((message) => message.message)).toEqual(['zero', 'two', 'four']);
		const ids = portal().messages.map((message) => message.id);
		expect(result.output.map((item) => item.json)).toMatchObject([
			{ messageId: ids[0], dialogId: 'chat1' },
			{ error: expect.stringMatching(/^Invalid "Message" in item 1/), code: 'INVALID_PARAMETER' },
			{ messageId: ids[1], dialogId: 'chat2' },
			{ error: expect.stringMatching(/^USER_NOT_FOUND: /), code: 'USER_NOT_FOUND' },
			{ messageId: ids[2], dialogId: 'chat3' },
		]);
		expect(result.output.map((item) => item.pairedItem)).toEqual([0, 1, 2, 3, 4].map((item) => ({ item })));
	});

	it('"Continue (using error output)": failed items go to the error output with pairedItem', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: ITEMS,
			parameters: parameters(batching),
			onError: 'continueErrorOutput',
		});
		expect(result.status).toBe('success');
		expect(result.output.map((item) => item.json.dialogId)).toEqual(['chat1', 'chat2', 'chat3']);
		expect(result.output.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 2 }, { item: 4 }]);
		expect(result.errorOutput.map((item) => item.pairedItem)).toEqual([{ item: 1 }, { item: 3 }]);
		expect(result.errorOutput.map((item) => String(item.json.error))).toEqual([
			expect.stringMatching(/^Invalid "Message" in item 1/),
			expect.stringMatching(/^USER_NOT_FOUND: /),
		]);
		expect(portal().messages).toHaveLength(3);
	});

	it('without continue-on-fail the first API failure stops the run and no later item is sent', async () => {
		const items = ITEMS.filter((item) => item.text !== '');
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items,
			parameters: parameters(batching),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^USER_NOT_FOUND: /);
		expect(portal().messages.map((message) => message.message)).toEqual(['zero', 'two']);
	});
});
