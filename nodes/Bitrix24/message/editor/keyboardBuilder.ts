/**
 * Keyboard builder: buttons under the message, edited in the n8n UI instead of KEYBOARD JSON.
 * Converts to Bitrix24's `{ BUTTONS: [...] }`; a "New Row" entry becomes `{ TYPE: 'NEWLINE' }`.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { buildActionFields, buttonActionProperties } from './buttonActions';
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

const SHOWN_FOR_BUTTONS = { entryType: ['button'] };

/** The builder's one field: the buttons, in the order the user arranges them. */
export const keyboardBuilderProperty: INodeProperties = {
	displayName: 'Buttons',
	name: 'buttons',
	type: 'fixedCollection',
	placeholder: 'Add Button',
	default: {},
	description: 'Buttons shown under the message, in this order. Add a "New Row" entry to start the next row.',
	typeOptions: { multipleValues: true, sortable: true },
	options: [
		{
			displayName: 'Button',
			name: 'button',
			// displayOptions hide what a row break does not need.
			values: sortedByDisplayName([
				{
					displayName: 'Background Color',
					name: 'backgroundColor',
					type: 'color',
					default: '',
					description: 'Leave empty for the default color',
					displayOptions: { show: SHOWN_FOR_BUTTONS },
				},
				{
					displayName: 'Disable After Click',
					name: 'blockAfterClick',
					type: 'boolean',
					default: false,
					description: 'Whether the button stops working once clicked (bot commands only)',
					displayOptions: { show: { ...SHOWN_FOR_BUTTONS, clickAction: ['command'] } },
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
					displayOptions: { show: SHOWN_FOR_BUTTONS },
				},
				{
					displayName: 'Entry Type',
					name: 'entryType',
					type: 'options',
					default: 'button',
					options: [
						{ name: 'Button', value: 'button', description: 'A clickable button' },
						{ name: 'New Row', value: 'newLine', description: 'Buttons after this entry start on a new row' },
					],
				},
				...buttonActionProperties(SHOWN_FOR_BUTTONS),
				{
					displayName: 'Text',
					name: 'text',
					type: 'string',
					default: '',
					description: 'Label of the button',
					displayOptions: { show: SHOWN_FOR_BUTTONS },
				},
				{
					displayName: 'Text Color',
					name: 'textColor',
					type: 'color',
					default: '',
					description: 'Leave empty for the default color',
					displayOptions: { show: SHOWN_FOR_BUTTONS },
				},
				{
					displayName: 'Width',
					name: 'width',
					type: 'number',
					default: 0,
					typeOptions: { minValue: 0 },
					description: 'Width in pixels; 0 lets Bitrix24 decide',
					displayOptions: { show: SHOWN_FOR_BUTTONS },
				},
			]),
		},
	],
};

function buildButton(entry: IDataObject, where: string): BitrixButton {
	const button: BitrixButton = {
		TEXT: requireText(entry, 'text', where, 'Text'),
		...buildActionFields(entry, where),
		...withoutEmpty({
			BG_COLOR: optionalColor(entry, 'backgroundColor', where, 'Background Color'),
			TEXT_COLOR: optionalColor(entry, 'textColor', where, 'Text Color'),
			// BLOCK is Bitrix24's default display, so only LINE needs saying.
			DISPLAY: entry.display === 'line' ? 'LINE' : undefined,
			WIDTH: readPositiveNumber(entry, 'width'),
		}),
	};
	if (entry.blockAfterClick === true && button.COMMAND !== undefined) button.BLOCK = 'Y';
	return button;
}

/** Converts the builder's values (`buttons`) into the KEYBOARD structure. */
export function buildKeyboard(values: IDataObject): BitrixKeyboard {
	const entries = readEntries(values.buttons, 'button');
	const buttons: BitrixButton[] = [];
	let buttonNumber = 0;
	for (const entry of entries) {
		if (entry.entryType === 'newLine') {
			// A row break at the very start or twice in a row would only add an empty row.
			if (buttons.length > 0 && buttons[buttons.length - 1].TYPE !== 'NEWLINE') buttons.push({ TYPE: 'NEWLINE' });
			continue;
		}
		buttonNumber++;
		buttons.push(buildButton(entry, `Button ${buttonNumber}`));
	}
	while (buttons.length > 0 && buttons[buttons.length - 1].TYPE === 'NEWLINE') buttons.pop();
	if (buttons.length === 0) throw new BuilderInputError('Keyboard Buttons: add at least one button');
	return { BUTTONS: buttons };
}
