import type { INodeProperties, INodePropertyCollection, INodePropertyOptions } from 'n8n-workflow';

import { attachBuilderProperties, buildAttach } from '../../../nodes/Bitrix24/rich/attachBuilder';
import { BuilderInputError } from '../../../nodes/Bitrix24/rich/builderValues';
import { buildKeyboard, keyboardBuilderProperty } from '../../../nodes/Bitrix24/rich/keyboardBuilder';
import { buildMenu, menuBuilderProperty } from '../../../nodes/Bitrix24/rich/menuBuilder';

describe('buildAttach', () => {
	it('builds the Bitrix24 "task card" example in the order the blocks were entered', () => {
		// What n8n stores for additionalFields when the user fills the builder.
		const fields = {
			options: { colorToken: 'primary', color: '' },
			blocks: {
				block: [
					{
						type: 'user',
						userName: 'Mantis Notifications',
						userOptions: {
							userAvatarUrl: 'https://files.example.com/mantis2.jpg',
							userLinkUrl: 'https://example.com/',
						},
					},
					{
						type: 'link',
						linkUrl: 'https://example.com/',
						linkOptions: {
							linkTitle: 'Open Mantis',
							linkDescription: '',
							linkPreviewUrl: '',
							linkPreviewWidth: 0,
							linkPreviewHeight: 0,
						},
					},
					{ type: 'delimiter', delimiterOptions: { delimiterSize: 200, delimiterColor: '#c6c6c6' } },
					{
						type: 'grid',
						gridDisplay: 'LINE',
						gridRows: {
							row: [
								{ name: 'Project', value: 'BUGS', options: { width: 100, color: '', link: '' } },
								{ name: 'Category', value: 'im', options: { width: 100 } },
							],
						},
					},
					{ type: 'message', messageText: '[b]Deadline[/b] tomorrow' },
					{
						type: 'image',
						imageUrl: 'https://files.example.com/mantis.jpg',
						imageOptions: { imageName: 'mantis.jpg', imagePreviewUrl: '', imageWidth: 1000, imageHeight: 638 },
					},
					{
						type: 'file',
						fileUrl: 'https://files.example.com/log.txt',
						fileOptions: { fileName: 'log.txt', fileSize: 1500000 },
					},
					{ type: 'message', messageText: 'Second text block' },
				],
			},
		};
		expect(buildAttach(fields)).toStrictEqual({
			COLOR_TOKEN: 'primary',
			BLOCKS: [
				{
					USER: {
						NAME: 'Mantis Notifications',
						AVATAR: 'https://files.example.com/mantis2.jpg',
						LINK: 'https://example.com/',
					},
				},
				{ LINK: { LINK: 'https://example.com/', NAME: 'Open Mantis' } },
				{ DELIMITER: { SIZE: 200, COLOR: '#c6c6c6' } },
				{
					GRID: [
						{ DISPLAY: 'LINE', NAME: 'Project', VALUE: 'BUGS', WIDTH: 100 },
						{ DISPLAY: 'LINE', NAME: 'Category', VALUE: 'im', WIDTH: 100 },
					],
				},
				{ MESSAGE: '[b]Deadline[/b] tomorrow' },
				{ IMAGE: [{ LINK: 'https://files.example.com/mantis.jpg', NAME: 'mantis.jpg', WIDTH: 1000, HEIGHT: 638 }] },
				{ FILE: [{ LINK: 'https://files.example.com/log.txt', NAME: 'log.txt', SIZE: 1500000 }] },
				{ MESSAGE: 'Second text block' },
			],
		});
	});

	it('uses an explicit hex color and leaves out the default "base" token and empty fields', () => {
		expect(
			buildAttach({
				options: { colorToken: 'base', color: '#29619b' },
				blocks: {
					block: [
						{
							type: 'link',
							linkUrl: '/crm/deal/details/142/',
							linkOptions: {
								linkTitle: 'Deal 142',
								linkDescription: 'Open the request',
								linkPreviewUrl: 'https://x.io/p.png',
								linkPreviewWidth: 120,
								linkPreviewHeight: 80,
							},
						},
						{
							type: 'grid',
							gridDisplay: 'ROW',
							gridRows: {
								row: [
									{
										name: 'Status',
										value: 'In progress',
										options: { color: '#00aa00', link: '/crm/deal/details/142/' },
									},
								],
							},
						},
						{ type: 'delimiter', delimiterOptions: { delimiterSize: 0, delimiterColor: '' } },
					],
				},
			}),
		).toStrictEqual({
			COLOR: '#29619b',
			BLOCKS: [
				{
					LINK: {
						LINK: '/crm/deal/details/142/',
						NAME: 'Deal 142',
						DESC: 'Open the request',
						PREVIEW: 'https://x.io/p.png',
						WIDTH: 120,
						HEIGHT: 80,
					},
				},
				{
					GRID: [
						{ DISPLAY: 'ROW', NAME: 'Status', VALUE: 'In progress', COLOR: '#00aa00', LINK: '/crm/deal/details/142/' },
					],
				},
				{ DELIMITER: {} },
			],
		});
	});

	it.each([
		['no blocks', { blocks: {} }, 'Blocks: add at least one block'],
		[
			'an empty text block',
			{ blocks: { block: [{ type: 'message', messageText: '  ' }] } },
			'Attachment block 1: Text is required',
		],
		[
			'an image without a URL',
			{
				blocks: {
					block: [
						{ type: 'message', messageText: 'x' },
						{ type: 'image', imageUrl: '' },
					],
				},
			},
			'Attachment block 2: Image URL is required',
		],
		[
			'a link that is not http(s) or relative',
			{ blocks: { block: [{ type: 'link', linkUrl: 'ftp://x.io' }] } },
			'Attachment block 1: URL must start with http://, https:// or / (got "ftp://x.io")',
		],
		[
			'a grid without rows',
			{ blocks: { block: [{ type: 'grid', gridDisplay: 'ROW', gridRows: {} }] } },
			'Attachment block 1: a grid needs at least one row',
		],
		[
			'a grid row without name and value',
			{ blocks: { block: [{ type: 'grid', gridRows: { row: [{ name: 'a' }, { options: { width: 5 } }] } }] } },
			'Attachment block 1, row 2: give a Name or a Value',
		],
		[
			'a bad color',
			{ options: { color: 'red' }, blocks: { block: [{ type: 'message', messageText: 'x' }] } },
			'Attachment: Attachment Color must be a hex color like #29619b (got "red")',
		],
		[
			'an unknown color token',
			{ options: { colorToken: 'pink' }, blocks: { block: [{ type: 'message', messageText: 'x' }] } },
			'Attachment: Color Style must be one of alert, base, primary, secondary',
		],
		[
			'a user without a name',
			{ blocks: { block: [{ type: 'user', userName: '' }] } },
			'Attachment block 1: Name is required',
		],
	])('explains %s', (_name, fields, message) => {
		expect(() => buildAttach(fields)).toThrow(BuilderInputError);
		expect(() => buildAttach(fields)).toThrow(message);
	});
});

describe('buildKeyboard', () => {
	it('builds buttons of every action with row breaks, as the Bitrix24 docs show', () => {
		const keyboardButtons = {
			button: [
				{
					text: 'Open website',
					clickAction: 'link',
					url: 'https://www.example.com/',
					options: { backgroundColor: '', textColor: '', display: 'block', width: 0 },
				},
				{
					text: 'Insert command',
					clickAction: 'put',
					actionValue: '/help',
					options: { newRow: true, display: 'line' },
				},
				{
					text: 'Say done',
					clickAction: 'send',
					actionValue: 'Done',
					options: { backgroundColor: '#29619b', textColor: '#ffffff', display: 'line', width: 120 },
				},
				{ text: 'Copy code', clickAction: 'copy', actionValue: 'X-42', options: { newRow: true } },
				{ text: 'Call us', clickAction: 'call', actionValue: '+15551234567' },
				{ text: 'Team chat', clickAction: 'dialog', actionValue: 'chat2725' },
				{
					text: 'Report',
					clickAction: 'command',
					command: 'report',
					commandParams: 'weekly',
					blockAfterClick: true,
				},
				{ text: 'Help', clickAction: 'command', command: 'help', commandParams: '' },
			],
		};
		expect(buildKeyboard({ buttons: keyboardButtons })).toStrictEqual({
			BUTTONS: [
				{ TEXT: 'Open website', LINK: 'https://www.example.com/' },
				{ TYPE: 'NEWLINE' },
				{ TEXT: 'Insert command', ACTION: 'PUT', ACTION_VALUE: '/help', DISPLAY: 'LINE' },
				{
					TEXT: 'Say done',
					ACTION: 'SEND',
					ACTION_VALUE: 'Done',
					BG_COLOR: '#29619b',
					TEXT_COLOR: '#ffffff',
					DISPLAY: 'LINE',
					WIDTH: 120,
				},
				{ TYPE: 'NEWLINE' },
				{ TEXT: 'Copy code', ACTION: 'COPY', ACTION_VALUE: 'X-42' },
				{ TEXT: 'Call us', ACTION: 'CALL', ACTION_VALUE: '+15551234567' },
				{ TEXT: 'Team chat', ACTION: 'DIALOG', ACTION_VALUE: 'chat2725' },
				{ TEXT: 'Report', COMMAND: 'report', COMMAND_PARAMS: 'weekly', BLOCK: 'Y' },
				{ TEXT: 'Help', COMMAND: 'help' },
			],
		});
	});

	it('does not start an empty first row', () => {
		expect(
			buildKeyboard({
				buttons: {
					button: [
						{ text: 'A', clickAction: 'link', url: '/a/', options: { newRow: true } },
						{ text: 'B', clickAction: 'link', url: '/b/', options: { newRow: true } },
					],
				},
			}),
		).toStrictEqual({ BUTTONS: [{ TEXT: 'A', LINK: '/a/' }, { TYPE: 'NEWLINE' }, { TEXT: 'B', LINK: '/b/' }] });
	});

	it('ignores Disable After Click for buttons that are not bot commands (Bitrix24 would ignore it too)', () => {
		expect(
			buildKeyboard({
				buttons: { button: [{ text: 'A', clickAction: 'send', actionValue: 'a', blockAfterClick: true }] },
			}),
		).toStrictEqual({
			BUTTONS: [{ TEXT: 'A', ACTION: 'SEND', ACTION_VALUE: 'a' }],
		});
	});

	it.each([
		['no buttons', {}, 'Buttons: add at least one button'],
		[
			'a button without text',
			{
				button: [
					{ text: 'ok', clickAction: 'link', url: '/' },
					{ text: '', clickAction: 'link', url: '/' },
				],
			},
			'Button 2: Text is required',
		],
		[
			'a link button without a URL',
			{ button: [{ text: 'A', clickAction: 'link', url: '' }] },
			'Button 1: URL is required',
		],
		[
			'a send button without text to send',
			{ button: [{ text: 'A', clickAction: 'send' }] },
			'Button 1: Value (text to send) is required',
		],
		[
			'a command button without a command',
			{ button: [{ text: 'A', clickAction: 'command' }] },
			'Button 1: Command is required',
		],
		[
			'a bad color',
			{ button: [{ text: 'A', clickAction: 'link', url: '/', options: { backgroundColor: 'blue' } }] },
			'Button 1: Background Color must be a hex color',
		],
	])('explains %s', (_name, value, message) => {
		expect(() => buildKeyboard({ buttons: value })).toThrow(BuilderInputError);
		expect(() => buildKeyboard({ buttons: value })).toThrow(message);
	});
});

describe('buildMenu', () => {
	it('builds the context menu of the Bitrix24 docs example', () => {
		expect(
			buildMenu({
				items: {
					item: [
						{ text: 'Open Website', clickAction: 'link', url: 'https://www.example.com/' },
						{ text: 'Send Text', clickAction: 'send', actionValue: 'Done' },
						{ text: 'Ask the bot', clickAction: 'command', command: 'example', commandParams: 'example' },
					],
				},
			}),
		).toStrictEqual({
			ITEMS: [
				{ TEXT: 'Open Website', LINK: 'https://www.example.com/' },
				{ TEXT: 'Send Text', ACTION: 'SEND', ACTION_VALUE: 'Done' },
				{ TEXT: 'Ask the bot', COMMAND: 'example', COMMAND_PARAMS: 'example' },
			],
		});
	});

	it('explains a missing value with the item number', () => {
		expect(() =>
			buildMenu({
				items: {
					item: [
						{ text: 'A', clickAction: 'link', url: '/' },
						{ text: 'B', clickAction: 'dialog' },
					],
				},
			}),
		).toThrow('Menu item 2: Value (chat ID) is required');
		expect(() => buildMenu({})).toThrow('Items: add at least one menu item');
	});
});

describe('builder descriptions', () => {
	const allProperties = (properties: INodeProperties[]): INodeProperties[] =>
		properties.flatMap((property) => [
			property,
			...((property.options ?? []) as INodePropertyCollection[]).flatMap((option) =>
				'values' in option ? allProperties(option.values) : [],
			),
		]);
	const described = allProperties([...attachBuilderProperties, keyboardBuilderProperty, menuBuilderProperty]);

	it('uses camelCase names and Title Case display names', () => {
		for (const property of described) {
			expect(property.name).toMatch(/^[a-z][a-zA-Z]*$/);
			for (const word of property.displayName.split(' ')) expect(word[0]).toBe(word[0].toUpperCase());
		}
	});

	it('sorts every options list by name and every Options collection by display name', () => {
		for (const property of described) {
			const options = property.options ?? [];
			if (property.type === 'options') {
				const names = options.map((option) => (option as INodePropertyOptions).name);
				expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
			}
			if (property.type === 'collection') {
				const displayNames = (options as INodeProperties[]).map((option) => option.displayName);
				expect(displayNames).toEqual([...displayNames].sort((a, b) => a.localeCompare(b, 'en')));
			}
		}
	});

	// n8n's way for entries with many fields: what is needed first, in the order a person fills
	// it in; everything optional in a trailing "Options" collection.
	const entryValues = described
		.filter((property) => property.type === 'fixedCollection')
		.flatMap((property) => (property.options as INodePropertyCollection[]).map((option) => option.values));

	it('ends each entry (or each block type) with its Options, nothing of it after them', () => {
		const groupOf = (property: INodeProperties) => JSON.stringify(property.displayOptions?.show?.type ?? null);
		for (const values of entryValues) {
			values.forEach((field, index) => {
				if (field.type !== 'collection') return;
				expect(field.displayName).toMatch(/^(\w+ )?Options$/);
				const after = values
					.slice(index + 1)
					.filter((next) => groupOf(field) === 'null' || groupOf(next) === groupOf(field));
				expect(after.map((next) => next.displayName)).toEqual([]);
			});
		}
	});

	it('starts with what the entry needs, in the order a person thinks', () => {
		const [blocks] = entryValues;
		expect(blocks[0].displayName).toBe('Block Type');
		const button = (keyboardBuilderProperty.options as INodePropertyCollection[])[0].values;
		const clickable = ['Text', 'Action', 'URL', 'Command', 'Value', 'Command Parameters'];
		expect(button.map((field) => field.displayName)).toEqual([...clickable, 'Disable After Click', 'Options']);
		const item = (menuBuilderProperty.options as INodePropertyCollection[])[0].values;
		expect(item.map((field) => field.displayName)).toEqual(clickable);
		// A command's own fields are shown only for a Command button or item.
		for (const values of [button, item]) {
			for (const field of values.filter((value) =>
				/^(Command|Command Parameters|Disable After Click)$/.test(value.displayName),
			)) {
				expect(field.displayOptions?.show?.clickAction).toEqual(['command']);
			}
		}
		const shownFor = (type: string) =>
			blocks.filter((field) => field.displayOptions?.show?.type?.includes(type)).map((field) => field.displayName);
		// Named after the block, so they are not taken for the attachment's own options.
		expect(shownFor('link')).toEqual(['URL', 'Link Options']);
		expect(shownFor('image')).toEqual(['Image URL', 'Image Options']);
		expect(shownFor('file')).toEqual(['File URL', 'File Options']);
		expect(shownFor('user')).toEqual(['Name', 'User Options']);
		// The attachment's options come before its blocks, not stacked under the last block's.
		expect(attachBuilderProperties.map((field) => field.displayName)).toEqual(['Attachment Options', 'Blocks']);
		expect(shownFor('grid')).toEqual(['Layout', 'Rows']);
	});

	it('marks the fields Bitrix24 cannot do without as required, and only those', () => {
		const required = described.filter((property) => property.required === true).map((property) => property.name);
		expect(new Set(required)).toEqual(
			new Set(['messageText', 'linkUrl', 'imageUrl', 'fileUrl', 'userName', 'text', 'url', 'command', 'actionValue']),
		);
	});

	it('keeps user-arranged order: one sortable multi-value entry per builder', () => {
		for (const property of [attachBuilderProperties[1], keyboardBuilderProperty, menuBuilderProperty]) {
			expect(property.type).toBe('fixedCollection');
			expect(property.typeOptions).toMatchObject({ multipleValues: true, sortable: true });
			expect(property.options).toHaveLength(1);
		}
	});

	it('gives every block field of the attachment a type it belongs to', () => {
		const blockFields = (attachBuilderProperties[1].options as INodePropertyCollection[])[0].values;
		for (const field of blockFields.filter((value) => value.name !== 'type')) {
			expect(field.displayOptions?.show?.type).toHaveLength(1);
		}
	});
});
