/**
 * Attachment builder: the rich card under a message (ATTACH), edited in the n8n UI instead of JSON.
 *
 * Blocks are ONE fixedCollection option with a "Type" selector and type-dependent fields, not
 * one option per block type: n8n stores a fixedCollection as `{ optionA: [...], optionB: [...] }`,
 * which would lose the order of a text, then an image, then another text. Here the order the
 * user arranged is the order Bitrix24 shows.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import {
	BuilderInputError,
	optionalColor,
	optionalLink,
	readEntries,
	readPositiveNumber,
	readText,
	requireLink,
	requireText,
	sortedByDisplayName,
	withoutEmpty,
} from './builderValues';
import { ATTACH_COLOR_TOKENS, isAttachColorToken, type AttachColorToken } from './contentRules';
import { objectOf } from '../shared/jsonValue';

export type AttachBlockType = 'delimiter' | 'file' | 'grid' | 'image' | 'link' | 'message' | 'user';
export type BitrixAttachBlock = Record<string, unknown>;

export interface BitrixAttach {
	COLOR_TOKEN?: string;
	COLOR?: string;
	BLOCKS: BitrixAttachBlock[];
}

/** How the Color Style options describe each of Bitrix24's colour tokens. */
const COLOR_TOKEN_DESCRIPTIONS: Record<AttachColorToken, string> = {
	alert: 'Red, for problems',
	base: 'Neutral (Bitrix24 default)',
	primary: 'The main accent color',
	secondary: 'A muted accent',
};
const COLOR_TOKENS = [...ATTACH_COLOR_TOKENS].sort();

function forType(type: AttachBlockType) {
	return { show: { type: [type] } };
}

const BLOCK_LABELS: Record<AttachBlockType, string> = {
	delimiter: 'Delimiter',
	file: 'File',
	grid: 'Grid',
	image: 'Image',
	link: 'Link',
	message: 'Text',
	user: 'User',
};

/**
 * A block type's optional fields, alphabetical as n8n lists optional fields. Named after the
 * block ("Link Options"), so it is not taken for the attachment's own options.
 */
function blockOptions(type: AttachBlockType, options: INodeProperties[]): INodeProperties {
	return {
		displayName: `${BLOCK_LABELS[type]} Options`,
		name: `${type}Options`,
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: forType(type),
		options: sortedByDisplayName(options),
	};
}

const blockTypeProperty: INodeProperties = {
	displayName: 'Block Type',
	name: 'type',
	type: 'options',
	default: 'message',
	options: [
		{ name: 'Delimiter', value: 'delimiter', description: 'A horizontal line between parts of the card' },
		{ name: 'File', value: 'file', description: 'A file with its name and size, opened by a link' },
		{ name: 'Grid', value: 'grid', description: 'Name and value pairs, as a table or a list' },
		{ name: 'Image', value: 'image', description: 'A picture' },
		{ name: 'Link', value: 'link', description: 'A link with a title, a description and an optional preview picture' },
		{ name: 'Text', value: 'message', description: 'A paragraph of text; BB-code like [b]bold[/b] works' },
		{ name: 'User', value: 'user', description: 'A person or bot card: name, avatar and a link' },
	],
};

const textBlock: INodeProperties[] = [
	{
		displayName: 'Text',
		name: 'messageText',
		type: 'string',
		typeOptions: { rows: 3 },
		default: '',
		required: true,
		description: 'Supports BB-code: [b], [i], [u], [s], [URL=…], [user=ID], [br]',
		displayOptions: forType('message'),
	},
];

const linkBlock: INodeProperties[] = [
	{
		displayName: 'URL',
		name: 'linkUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/page',
		description: 'Must start with http://, https:// or / (a page of your Bitrix24)',
		displayOptions: forType('link'),
	},
	blockOptions('link', [
		{
			displayName: 'Title',
			name: 'linkTitle',
			type: 'string',
			default: '',
			description: 'Text of the link; the URL is shown when empty',
		},
		{
			displayName: 'Description',
			name: 'linkDescription',
			type: 'string',
			default: '',
			description: 'Shown under the title',
		},
		{
			displayName: 'Preview Image URL',
			name: 'linkPreviewUrl',
			type: 'string',
			default: '',
			description: 'Picture shown next to the link. Must start with http://, https:// or /.',
		},
		{
			displayName: 'Preview Width',
			name: 'linkPreviewWidth',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'In pixels; 0 lets Bitrix24 decide',
		},
		{
			displayName: 'Preview Height',
			name: 'linkPreviewHeight',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'In pixels; 0 lets Bitrix24 decide',
		},
	]),
];

const imageBlock: INodeProperties[] = [
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/picture.png',
		description: 'The full-size picture. Must start with http://, https:// or /.',
		displayOptions: forType('image'),
	},
	blockOptions('image', [
		{
			displayName: 'Name',
			name: 'imageName',
			type: 'string',
			default: '',
			description: 'Name of the picture',
		},
		{
			displayName: 'Preview URL',
			name: 'imagePreviewUrl',
			type: 'string',
			default: '',
			description: 'A smaller version shown in the chat; the full picture is used when empty',
		},
		{
			displayName: 'Width',
			name: 'imageWidth',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'In pixels; give it together with Height for a stable layout',
		},
		{
			displayName: 'Height',
			name: 'imageHeight',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'In pixels; give it together with Width for a stable layout',
		},
	]),
];

const fileBlock: INodeProperties[] = [
	{
		displayName: 'File URL',
		name: 'fileUrl',
		type: 'string',
		default: '',
		required: true,
		placeholder: 'https://example.com/report.pdf',
		description: 'Link to download or open the file. Must start with http://, https:// or /.',
		displayOptions: forType('file'),
	},
	blockOptions('file', [
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			description: 'Name shown for the file',
		},
		{
			displayName: 'Size (Bytes)',
			name: 'fileSize',
			type: 'number',
			default: 0,
			typeOptions: { minValue: 0 },
			description: 'Shown next to the name; leave 0 if unknown',
		},
	]),
];

const delimiterBlock: INodeProperties[] = [
	blockOptions('delimiter', [
		{
			displayName: 'Length',
			name: 'delimiterSize',
			type: 'number',
			default: 200,
			typeOptions: { minValue: 0 },
			description: 'Length of the line in pixels',
		},
		{
			displayName: 'Color',
			name: 'delimiterColor',
			type: 'color',
			default: '',
			description: 'Color of the line; leave empty for the default',
		},
	]),
];

const gridRowOptions: INodeProperties[] = [
	{
		displayName: 'Color',
		name: 'color',
		type: 'color',
		default: '',
		description: 'Color of the value',
	},
	{
		displayName: 'Link',
		name: 'link',
		type: 'string',
		default: '',
		description: 'Makes the value a link. Must start with http://, https:// or /.',
	},
	{
		displayName: 'Width',
		name: 'width',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Width of the name column or card in pixels; 0 lets Bitrix24 decide',
	},
];

const gridBlock: INodeProperties[] = [
	{
		displayName: 'Layout',
		name: 'gridDisplay',
		type: 'options',
		default: 'ROW',
		description:
			'How the pairs are arranged. Bitrix24 asks for one layout per grid: add another grid block for another layout.',
		options: [
			{ name: 'Block', value: 'BLOCK', description: 'Each pair on its own line, one under the other' },
			{ name: 'Inline', value: 'LINE', description: 'Pairs side by side as small cards, wrapping when needed' },
			{ name: 'Table', value: 'TABLE', description: 'A dense table (some apps show it as Two Columns)' },
			{ name: 'Two Columns', value: 'ROW', description: 'Names on the left, values on the right' },
		],
		displayOptions: forType('grid'),
	},
	{
		displayName: 'Rows',
		name: 'gridRows',
		type: 'fixedCollection',
		placeholder: 'Add Row',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: forType('grid'),
		options: [
			{
				displayName: 'Row',
				name: 'row',
				// Name and value first (each row needs one of them), then the rest.
				values: [
					{
						displayName: 'Name',
						name: 'name',
						type: 'string',
						default: '',
						description: 'The label, e.g. Status. Give a Name, a Value or both.',
					},
					{
						displayName: 'Value',
						name: 'value',
						type: 'string',
						default: '',
						description: 'The value, e.g. In progress. BB-code works.',
					},
					{
						displayName: 'Options',
						name: 'options',
						type: 'collection',
						placeholder: 'Add Option',
						default: {},
						options: sortedByDisplayName(gridRowOptions),
					},
				],
			},
		],
	},
];

const userBlock: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'userName',
		type: 'string',
		default: '',
		required: true,
		description: 'Name shown on the card',
		displayOptions: forType('user'),
	},
	blockOptions('user', [
		{
			displayName: 'Avatar URL',
			name: 'userAvatarUrl',
			type: 'string',
			default: '',
			description: 'Picture of the person or bot. Must start with http://, https:// or /.',
		},
		{
			displayName: 'Link',
			name: 'userLinkUrl',
			type: 'string',
			default: '',
			placeholder: '/company/personal/user/1/',
			description: 'Opened when the card is clicked. Must start with http://, https:// or /.',
		},
	]),
];

/**
 * One block entry: its type first, then what that type requires, then its Options. Only the
 * chosen type's fields are shown, so the editor shows at most a few fields at a time.
 */
const blockFields: INodeProperties[] = [
	blockTypeProperty,
	...textBlock,
	...linkBlock,
	...imageBlock,
	...fileBlock,
	...gridBlock,
	...userBlock,
	...delimiterBlock,
];

/**
 * The builder's fields, in the order shown: the attachment's own options (its colour) first, then
 * the blocks, so that the last block's options are not stacked right above the attachment's.
 */
export const attachBuilderProperties: INodeProperties[] = [
	{
		displayName: 'Attachment Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [
			{
				displayName: 'Color',
				name: 'color',
				type: 'color',
				default: '',
				description: 'Exact color of the stripe beside the attachment. Leave empty to use the color style.',
			},
			{
				displayName: 'Color Style',
				name: 'colorToken',
				type: 'options',
				default: 'base',
				description: 'Color scheme of the stripe beside the attachment',
				options: COLOR_TOKENS.map((token) => ({
					name: token[0].toUpperCase() + token.slice(1),
					value: token,
					description: COLOR_TOKEN_DESCRIPTIONS[token],
				})),
			},
		],
	},
	{
		displayName: 'Blocks',
		name: 'blocks',
		type: 'fixedCollection',
		placeholder: 'Add Block',
		default: {},
		description: 'Parts of the attachment, shown in this order',
		typeOptions: { multipleValues: true, sortable: true },
		options: [{ displayName: 'Block', name: 'block', values: blockFields }],
	},
];

function buildGrid(entry: IDataObject, where: string): BitrixAttachBlock {
	const display = readText(entry, 'gridDisplay') ?? 'ROW';
	const rows = readEntries(entry.gridRows, 'row');
	if (rows.length === 0) throw new BuilderInputError(`${where}: a grid needs at least one row`);
	return {
		GRID: rows.map((row, index) => {
			const at = `${where}, row ${index + 1}`;
			const options = optionsOf(row, 'options');
			const fields = withoutEmpty({
				DISPLAY: display,
				NAME: readText(row, 'name'),
				VALUE: readText(row, 'value'),
				WIDTH: readPositiveNumber(options, 'width'),
				COLOR: optionalColor(options, 'color', at, 'Color'),
				LINK: optionalLink(options, 'link', at, 'Link'),
			});
			if (fields.NAME === undefined && fields.VALUE === undefined)
				throw new BuilderInputError(`${at}: give a Name or a Value`);
			return fields;
		}),
	};
}

/** The values of an entry's Options collection (empty when none were added). */
function optionsOf(entry: IDataObject, key: string): IDataObject {
	return objectOf(entry[key]);
}

function buildBlock(entry: IDataObject, where: string): BitrixAttachBlock {
	const type = (readText(entry, 'type') ?? 'message') as AttachBlockType;
	switch (type) {
		case 'message':
			return { MESSAGE: requireText(entry, 'messageText', where, 'Text') };
		case 'link': {
			const options = optionsOf(entry, 'linkOptions');
			return {
				LINK: withoutEmpty({
					LINK: requireLink(entry, 'linkUrl', where, 'URL'),
					NAME: readText(options, 'linkTitle'),
					DESC: readText(options, 'linkDescription'),
					PREVIEW: optionalLink(options, 'linkPreviewUrl', where, 'Preview Image URL'),
					WIDTH: readPositiveNumber(options, 'linkPreviewWidth'),
					HEIGHT: readPositiveNumber(options, 'linkPreviewHeight'),
				}),
			};
		}
		case 'image': {
			const options = optionsOf(entry, 'imageOptions');
			return {
				IMAGE: [
					withoutEmpty({
						LINK: requireLink(entry, 'imageUrl', where, 'Image URL'),
						NAME: readText(options, 'imageName'),
						PREVIEW: optionalLink(options, 'imagePreviewUrl', where, 'Preview URL'),
						WIDTH: readPositiveNumber(options, 'imageWidth'),
						HEIGHT: readPositiveNumber(options, 'imageHeight'),
					}),
				],
			};
		}
		case 'file': {
			const options = optionsOf(entry, 'fileOptions');
			return {
				FILE: [
					withoutEmpty({
						LINK: requireLink(entry, 'fileUrl', where, 'File URL'),
						NAME: readText(options, 'fileName'),
						SIZE: readPositiveNumber(options, 'fileSize'),
					}),
				],
			};
		}
		case 'delimiter': {
			const options = optionsOf(entry, 'delimiterOptions');
			return {
				DELIMITER: withoutEmpty({
					SIZE: readPositiveNumber(options, 'delimiterSize'),
					COLOR: optionalColor(options, 'delimiterColor', where, 'Color'),
				}),
			};
		}
		case 'grid':
			return buildGrid(entry, where);
		case 'user': {
			const options = optionsOf(entry, 'userOptions');
			return {
				USER: withoutEmpty({
					NAME: requireText(entry, 'userName', where, 'Name'),
					AVATAR: optionalLink(options, 'userAvatarUrl', where, 'Avatar URL'),
					LINK: optionalLink(options, 'userLinkUrl', where, 'Link'),
				}),
			};
		}
		default:
			throw new BuilderInputError(`${where}: unknown block type "${String(type)}"`);
	}
}

/** Converts the builder's values (`blocks` and `options`) into the full ATTACH structure. */
export function buildAttach(values: IDataObject): BitrixAttach {
	const entries = readEntries(values.blocks, 'block');
	if (entries.length === 0) throw new BuilderInputError('Blocks: add at least one block');
	const blocks = entries.map((entry, index) => buildBlock(entry, `Attachment block ${index + 1}`));
	const options = optionsOf(values, 'options');
	const color = optionalColor(options, 'color', 'Attachment', 'Attachment Color');
	const token = readText(options, 'colorToken');
	if (token !== undefined && !isAttachColorToken(token)) {
		throw new BuilderInputError(`Attachment: Color Style must be one of ${COLOR_TOKENS.join(', ')}`);
	}
	// Keys in the documented order (COLOR_TOKEN, COLOR, BLOCKS), so that the request is the same
	// as one written by hand from Bitrix24's examples. "base" is Bitrix24's default: not sent.
	return {
		...(token !== undefined && token !== 'base' ? { COLOR_TOKEN: token } : {}),
		...(color !== undefined ? { COLOR: color } : {}),
		BLOCKS: blocks,
	};
}
