import type { INodeParameters } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import { fromItem, richJson, sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const link = (LINK: string) => JSON.stringify([{ LINK: { NAME: 'x', LINK } }]);

// [case, the bad item's fields, expected message fragment]
const CASES: Array<[string, INodeParameters, RegExp]> = [
	[
		'empty message without attach',
		{ message: '' },
		/Invalid "Message" in item 1: the text is empty and there is no attachment/,
	],
	['whitespace message without attach', { message: '  \n\t ' }, /Invalid "Message" in item 1/],
	['dialog that is not an id', { dialogId: 'general' }, /Invalid "Dialog" in item 1: "general" is not a dialog ID/],
	['dialog with a bad prefix', { dialogId: 'chatX1' }, /Invalid "Dialog" in item 1/],
	[
		'attach that is not JSON',
		{ attach: '[{"MESSAGE": "x"' },
		/Invalid "Attachment" in item 1: Attachment JSON is not valid JSON/,
	],
	[
		'attach block of unknown type',
		{ attach: '[{"TABLE": {}}]' },
		/Invalid "Attachment" in item 1: \[0\] has no known block type \(found TABLE/,
	],
	[
		'attach link without http(s) or /',
		{ attach: link('ftp://example.com') },
		/Invalid "Attachment" in item 1: \[0\]\.LINK\.LINK must start with http:\/\/, https:\/\/ or \//,
	],
	[
		'attach image without link',
		{ attach: '{"BLOCKS": [{"IMAGE": [{"NAME": "a"}]}]}' },
		/BLOCKS\[0\]\.IMAGE\[0\]\.LINK is required/,
	],
	[
		'attach with an unknown color token',
		{ attach: '{"COLOR_TOKEN": "pink", "BLOCKS": [{"MESSAGE": "x"}]}' },
		/COLOR_TOKEN must be one of primary, secondary, alert, base/,
	],
	[
		'attach over 60,000 characters',
		{ attach: JSON.stringify([{ MESSAGE: 'x'.repeat(60_001) }]) },
		/Invalid "Attachment" in item 1: is 600\d\d characters long once serialized; Bitrix24 accepts at most 60000/,
	],
	[
		'keyboard button without TEXT',
		{ keyboard: '[{"LINK": "https://example.com"}]' },
		/Invalid "Keyboard" in item 1: \[0\]\.TEXT is required/,
	],
	[
		'keyboard button without an action',
		{ keyboard: '{"BUTTONS": [{"TEXT": "Go"}]}' },
		/Invalid "Keyboard" in item 1: BUTTONS\[0\] needs an action/,
	],
	[
		'keyboard button with an unknown action',
		{ keyboard: '[{"TEXT": "Go", "ACTION": "JUMP", "ACTION_VALUE": "1"}]' },
		/\[0\]\.ACTION must be one of PUT, SEND, COPY, CALL, DIALOG/,
	],
	['menu item without an action', { menu: '[{"TEXT": "Go"}]' }, /Invalid "Menu" in item 1: \[0\] needs an action/],
	['menu that is not JSON', { menu: 'ITEMS' }, /Invalid "Menu" in item 1: Menu JSON is not valid JSON/],
	[
		'replyId that is negative',
		{ replyId: -5 },
		/Invalid "Reply To Message ID" in item 1: "-5" is not a positive whole number/,
	],
	[
		'replyId that is a fraction',
		{ replyId: 1.5 },
		/Invalid "Reply To Message ID" in item 1: "1.5" is not a positive whole number/,
	],
];

/** Item 0 is valid, item 1 carries the bad field: proves the check runs before anything is sent. */
function parametersWithBadSecondItem(bad: INodeParameters): INodeParameters {
	const richFields: INodeParameters = {};
	for (const key of ['attach', 'keyboard', 'menu']) {
		if (key in bad) richFields[key] = richJson(fromItem(key));
	}
	return sendParameters({
		dialogId: { __rl: true, mode: 'id', value: fromItem('dialogId') },
		message: fromItem('message'),
		...richFields,
		additionalFields: 'replyId' in bad ? { replyId: fromItem('replyId') } : {},
	});
}

function items(bad: INodeParameters): Array<Record<string, unknown>> {
	const good: Record<string, unknown> = {
		dialogId: 'chat1',
		message: 'fine',
		attach: '[{"MESSAGE": "ok"}]',
		keyboard: '[{"TEXT": "a", "LINK": "/a"}]',
		menu: '[{"TEXT": "a", "LINK": "/a"}]',
	};
	if ('replyId' in bad) good.replyId = 1;
	return [good, { ...good, ...bad }];
}

describe('bad input fails before any request is sent', () => {
	it.each(CASES)('%s', async (_label, bad, expected) => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: items(bad) as never,
			parameters: parametersWithBadSecondItem(bad),
		});

		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(expected);
		expect(portal().stats.httpRequests).toBe(0);
		expect(portal().messages).toHaveLength(0);
	});
});

it('an attachment alone is enough: the message may be empty', async () => {
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		parameters: sendParameters({ message: '', attach: richJson('[{"MESSAGE": "only attach"}]') }),
	});
	expect(result.error).toBeUndefined();
	expect(portal().messages[0]).toMatchObject({ message: '', attach: [{ MESSAGE: 'only attach' }] });
});

it('n8n itself refuses a literal dialog ID of the wrong form, before the node runs', async () => {
	const result = await runBitrix24({
		credentials: webhookCredentials(portal()),
		parameters: sendParameters({ dialogId: { __rl: true, mode: 'id', value: 'general' } }),
	});
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(
		/The 'Bitrix24' node has issues:\s+- Dialog: use a user ID \(123\), chat123 or sg123/,
	);
	expect(portal().stats.httpRequests).toBe(0);
});

it('rejects a webhook URL of another shape with the expected form, before sending', async () => {
	const result = await runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: portal().url + '/rest/im.message.add' } },
		parameters: sendParameters(),
	});
	expect(result.error?.message).toMatch(
		/Credential "Webhook URL": The Bitrix24 webhook URL is not in the expected form https:\/\/your-portal\.bitrix24\.com\/rest\/<user id>\/<secret>\//,
	);
	expect(portal().stats.httpRequests).toBe(0);
});
