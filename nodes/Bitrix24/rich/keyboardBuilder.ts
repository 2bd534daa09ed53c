/**
 * Keyboard builder: buttons under the message, edited in the n8n UI instead of KEYBOARD JSON.
 * Converts to Bitrix24's `{ BUTTONS: [...] }`; a button marked "Start a New Row" is preceded by
 * `{ TYPE: 'NEWLINE' }`.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { buildActionFields, clickableEntryValues, disableAfterClickProperty } from './buttonActions';
import {
	BuilderInputError,
	optionalColor,
	readEntries,
	readPositiveNumber,
	requireText,
	sortedByDisplayName,
	withoutEmpty,
} from './builderValues';

export type BitrixButton = Record<string, string | number>;

export interface BitrixKeyboard {
	BUTTONS: BitrixButton[];
}

/** Optional button settings; alphabetical, as n8n lists optional fields. */
const buttonOptions: INodeProperties[] = [
	{
		displayName: 'Background Color',
		name: 'backgroundColor',
		type: 'color',
		default: '',
		description: 'Leave empty for the default color',
	},
	{
		displayName: 'Display',
		name: 'display',
		type: 'options',
		default: 'block',
		options: [
			{ name: 'Block', value: 'block', description: 'The button takes the whole row' },
			{ name: 'Inline', value: 'line', description: 'The button sits next to other inline buttons' },
		],
	},
	{
		displayName: 'Start a New Row',
		name: 'newRow',
		type: 'boolean',
		default: false,
		description: 'Whether this button begins a new row of buttons',
	},
	{
		displayName: 'Text Color',
		name: 'textColor',
		type: 'color',
		default: '',
		description: 'Leave empty for the default color',
	},
	{
		displayName: 'Width',
		name: 'width',
		type: 'number',
		default: 0,
		typeOptions: { minValue: 0 },
		description: 'Width in pixels; 0 lets Bitrix24 decide',
	},
];

/** The builder's one field: the buttons, in the order the user arranges them. */
export const keyboardBuilderProperty: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttons',
	type: 'fixedCollection',
	placeholder: 'Add Button',
	default: {},
	description: 'Buttons shown under the message, in this order. Options → Start a New Row begins the next row.',
	typeOptions: { multipleValues: true, sortable: true },
	options: [
		{
			displayName: 'Button',
			name: 'button',
			values: clickableEntryValues('Label of the button', sortedByDisplayName(buttonOptions), [
				disableAfterClickProperty,
			]),
		},
	],
};

function buildButton(entry: IDataObject, where: string): BitrixButton {
	const options = (entry.options ?? {}) as IDataObject;
	const button: BitrixButton = {
		TEXT: requireText(entry, 'text', where, 'Text'),
		...buildActionFields(entry, where),
		...withoutEmpty({
			BG_COLOR: optionalColor(options, 'backgroundColor', where, 'Background Color'),
			TEXT_COLOR: optionalColor(options, 'textColor', where, 'Text Color'),
			// BLOCK is Bitrix24's default display, so only LINE needs saying.
			DISPLAY: options.display === 'line' ? 'LINE' : undefined,
			WIDTH: readPositiveNumber(options, 'width'),
		}),
	};
	if (entry.blockAfterClick === true && button.COMMAND !== undefined) button.BLOCK = 'Y';
	return button;
}

/** Converts the builder's values (`buttons`) into the KEYBOARD structure. */
export function buildKeyboard(values: IDataObject): BitrixKeyboard {
	const entries = readEntries(values.buttons, 'button');
	if (entries.length === 0) throw new BuilderInputError('Buttons: add at least one button');
	const buttons: BitrixButton[] = [];
	entries.forEach((entry, index) => {
		const options = (entry.options ?? {}) as IDataObject;
		// A new row before the first button would only add an empty row.
		if (options.newRow === true && buttons.length > 0) buttons.push({ TYPE: 'NEWLINE' });
		buttons.push(buildButton(entry, `Button ${index + 1}`));
	});
	return { BUTTONS: buttons };
}
