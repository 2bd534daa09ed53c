import type { INodeParameters } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

// What n8n stores for the builders when a user fills them in the editor.
const BUILDER_FIELDS: INodeParameters = {
	attach: {
		content: {
			mode: 'builder',
			options: { colorToken: 'alert' },
			blocks: {
				block: [
					{ type: 'message', messageText: 'Disk [b]95%[/b] full & rising' },
					{
						type: 'link',
						linkUrl: 'https://grafana.example.com/d/1?from=now-1h&to=now',
						linkOptions: { linkTitle: 'Dashboard' },
					},
					{
						type: 'grid',
						gridDisplay: 'LINE',
						gridRows: {
							row: [
								{ name: 'Host', value: 'db-1' },
								{ name: 'Mount', value: '/var' },
							],
						},
					},
					{ type: 'delimiter', delimiterOptions: { delimiterSize: 200, delimiterColor: '#c6c6c6' } },
					{ type: 'image', imageUrl: '/upload/chart.png', imageOptions: { imageName: 'chart.png' } },
					{
						type: 'file',
						fileUrl: 'https://example.com/log.txt',
						fileOptions: { fileName: 'log.txt', fileSize: 2048 },
					},
					{ type: 'user', userName: 'Monitoring bot', userOptions: { userLinkUrl: '/company/personal/user/7/' } },
				],
			},
		},
	},
	keyboard: {
		content: {
			mode: 'builder',
			buttons: {
				button: [
					{ text: 'Open', clickAction: 'link', url: 'https://grafana.example.com/' },
					{
						text: 'Ack',
						clickAction: 'send',
						actionValue: 'ack db-1',
						options: { newRow: true, backgroundColor: '#29619b', textColor: '#ffffff' },
					},
					{ text: 'Copy host', clickAction: 'copy', actionValue: 'db-1' },
				],
			},
		},
	},
	menu: {
		content: {
			mode: 'builder',
			items: { item: [{ text: 'Runbook', clickAction: 'link', url: 'https://wiki.example.com/disk' }] },
		},
	},
};

// The same message, hand-written as Bitrix24's documentation describes it.
const JSON_TEXT = {
	attach: JSON.stringify({
		COLOR_TOKEN: 'alert',
		BLOCKS: [
			{ MESSAGE: 'Disk [b]95%[/b] full & rising' },
			{ LINK: { LINK: 'https://grafana.example.com/d/1?from=now-1h&to=now', NAME: 'Dashboard' } },
			{
				GRID: [
					{ DISPLAY: 'LINE', NAME: 'Host', VALUE: 'db-1' },
					{ DISPLAY: 'LINE', NAME: 'Mount', VALUE: '/var' },
				],
			},
			{ DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
			{ IMAGE: [{ LINK: '/upload/chart.png', NAME: 'chart.png' }] },
			{ FILE: [{ LINK: 'https://example.com/log.txt', NAME: 'log.txt', SIZE: 2048 }] },
			{ USER: { NAME: 'Monitoring bot', LINK: '/company/personal/user/7/' } },
		],
	}),
	keyboard: JSON.stringify({
		BUTTONS: [
			{ TEXT: 'Open', LINK: 'https://grafana.example.com/' },
			{ TYPE: 'NEWLINE' },
			{ TEXT: 'Ack', ACTION: 'SEND', ACTION_VALUE: 'ack db-1', BG_COLOR: '#29619b', TEXT_COLOR: '#ffffff' },
			{ TEXT: 'Copy host', ACTION: 'COPY', ACTION_VALUE: 'db-1' },
		],
	}),
	menu: JSON.stringify({ ITEMS: [{ TEXT: 'Runbook', LINK: 'https://wiki.example.com/disk' }] }),
};
// What n8n stores when the user picks JSON and pastes the text above.
const JSON_FIELDS: INodeParameters = {
	attach: { content: { mode: 'json', json: JSON_TEXT.attach } },
	keyboard: { content: { mode: 'json', json: JSON_TEXT.keyboard } },
	menu: { content: { mode: 'json', json: JSON_TEXT.menu } },
};

describe.each([true, false])('builders and JSON produce identical requests (batching %s)', (batching) => {
	it('attachment, keyboard and menu', async () => {
		const bodiesOf: string[][] = [];
		for (const richFields of [BUILDER_FIELDS, JSON_FIELDS]) {
			const before = portal().httpRequests.length;
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				parameters: sendParameters({ message: 'Alert', ...richFields, options: { batching } }),
				items: [{}, {}],
			});
			expect(result.error).toBeUndefined();
			bodiesOf.push(
				portal()
					.httpRequests.slice(before)
					.map((request) => request.rawBody),
			);
		}
		const [fromBuilder, , fromJson] = portal().messages;
		expect(portal().messages).toHaveLength(4);
		expect(fromBuilder.attach).toEqual(fromJson.attach);
		expect(fromBuilder.keyboard).toEqual(fromJson.keyboard);
		expect(fromBuilder.menu).toEqual(fromJson.menu);
		expect((fromBuilder.attach as { BLOCKS: unknown[] }).BLOCKS).toHaveLength(7);
		// The raw requests of the builder run and of the JSON run are identical byte for byte,
		// not only what the portal decoded from them.
		const [builderBodies, jsonBodies] = bodiesOf;
		expect(builderBodies).toHaveLength(batching ? 1 : 2);
		expect(builderBodies).toEqual(jsonBodies);
		expect(builderBodies[0]).toContain('ATTACH');
	});

	it('a builder mistake names the field, the entry and the item, before sending', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				keyboard: {
					content: { mode: 'builder', buttons: { button: [{ text: 'Call', clickAction: 'call', actionValue: '' }] } },
				},
				options: { batching },
			}),
		});
		expect(result.error?.message).toMatch(
			/^Invalid "Keyboard" in item 0: Button 1: Value \(phone number\) is required/,
		);
		expect(portal().stats.httpRequests).toBe(0);
	});
});

describe('Dialog → By URL', () => {
	it.each([
		['https://example.bitrix24.com/online/?IM_DIALOG=chat7', 'chat7'],
		['https://example.bitrix24.com/online/?IM_DIALOG=12', '12'],
		['https://example.bitrix24.com/company/personal/user/9/', '9'],
		['https://example.bitrix24.com/workgroups/group/5/', 'sg5'],
	])('%s is sent as DIALOG_ID %s', async (url, dialogId) => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ dialogId: { __rl: true, mode: 'url', value: url } }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages.map((message) => message.dialogId)).toEqual([dialogId]);
		expect(result.output[0].json.dialogId).toBe(dialogId);
		// Only a group chat's dialog ID tells its chat ID.
		expect(result.output[0].json.chatId).toBe(dialogId === 'chat7' ? 7 : undefined);
		// A private dialog's ID is the other person's: one link cannot open it for both sides.
		const link = `${portal().url}/online/?IM_DIALOG=${dialogId}&IM_MESSAGE=${String(portal().messages[0].id)}`;
		expect(result.output[0].json.link).toBe(/^\d+$/.test(dialogId) ? undefined : link);
	});
});

describe('Message Format', () => {
	it('Markdown is converted to BB-code before sending', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				message: '**Deploy** of _api_ done: [notes](https://example.com/notes)\n\n- one\n- two',
				messageFormat: 'markdown',
			}),
		});
		expect(result.error).toBeUndefined();
		const sent = portal().messages[0].message;
		expect(sent).toContain('[b]Deploy[/b] of [i]api[/i] done: [url=https://example.com/notes]notes[/url]');
		expect(sent).toMatch(/• one\n\s*• two|• one\n• two/);
		expect(sent).not.toContain('**');
		// The output shows the text as Bitrix24 got it, after the conversion.
		expect(result.output[0].json.text).toBe(sent);
		expect(result.output[0].json.escapedBbCode).toBeUndefined();
	});

	it('BB-code tags a Markdown text already has are shown as typed, and the output says so', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ message: '[b]Old[/b] and **new**', messageFormat: 'markdown' }),
		});
		expect(result.error).toBeUndefined();
		// An invisible mark after "[" keeps the chat from reading a tag there.
		expect(portal().messages[0].message).toBe('[\u200Bb]Old[\u200B/b] and [b]new[/b]');
		expect(result.output[0].json).toMatchObject({ escapedBbCode: true });
	});

	it('Update says so too', async () => {
		const [message] = [portal().seedMessage({ dialogId: 'chat1', message: 'x', authorId: 1 })];
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: {
				authentication: 'webhook',
				operation: 'update',
				messageId: message.id,
				messageFormat: 'markdown',
				message: 'see [url=https://a.example]here[/url]',
			},
		});
		expect(result.error).toBeUndefined();
		expect(result.output[0].json).toEqual({ messageId: message.id, updated: true, escapedBbCode: true });
	});

	it('BB-code (the default) passes through unchanged, Markdown-looking characters included', async () => {
		const text = '[b]bold[/b] **not bold** _x_ [url=https://a.example/?q=1]a[/url]';
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ message: text }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages[0].message).toBe(text);
	});
});
