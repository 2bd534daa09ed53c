/**
 * The three structures a message can carry besides its text: the attachment (ATTACH), the
 * keyboard (KEYBOARD) and the context menu (MENU). Every operation that writes a message offers
 * them the same way and reads them through the same checks, so the editor fields and the rules
 * live here once.
 *
 * In the editor each structure is ONE field of the operation, at its top level: a fixedCollection
 * with one entry, whose first field chooses between building it in the editor and giving it as
 * JSON. The builder or the JSON editor sits beside that choice. It is not inside Additional Fields:
 * there it would be a field inside a field, with two delete buttons, one of which left an empty
 * box behind. On Update a Remove field sits beside them.
 */
import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { attachBuilderProperties, buildAttach } from './attachBuilder';
import { BuilderInputError } from './builderValues';
import { buildKeyboard, keyboardBuilderProperty } from './keyboardBuilder';
import { buildMenu, menuBuilderProperty } from './menuBuilder';
import { parseJsonField, validateAttach, validateKeyboard, validateMenu } from './richContent';
import type { RejectContent } from './richContent';

/** How a structure is given: built in the editor or as JSON. */
export type RichFieldMode = 'builder' | 'json';

/** The collection key of each structure. */
export type RichFieldName = 'attach' | 'keyboard' | 'menu';

/** The name of the single fixedCollection option that holds a structure's fields. */
const CONTENT = 'content';

interface RichField {
	/** The collection key: `attach`, `keyboard` or `menu`. */
	name: RichFieldName;
	param: 'ATTACH' | 'KEYBOARD' | 'MENU';
	/** The field's name in the editor and in error messages. */
	label: string;
	/** How the structure is called in descriptions ("the attachment"). */
	what: string;
	builderProperties: INodeProperties[];
	/** Builds the Bitrix24 structure from the builder's values (the entry's own fields). */
	build: (values: IDataObject) => unknown;
	/** Whether the builder's values hold anything to build. */
	hasBuilderInput: (values: IDataObject) => boolean;
	validate: (value: unknown, reject: RejectContent) => unknown;
	jsonDescription: string;
	/** Shown under the field, also once it is filled in. */
	jsonHint: string;
	jsonExample: string;
}

const hasEntries = (collection: unknown): boolean =>
	collection !== null &&
	typeof collection === 'object' &&
	Object.values(collection as IDataObject).some((entries) =>
		Array.isArray(entries) ? entries.length > 0 : entries != null,
	);

const RICH_FIELDS: RichField[] = [
	{
		name: 'attach',
		param: 'ATTACH',
		label: 'Attachment',
		what: 'attachment',
		builderProperties: attachBuilderProperties,
		build: buildAttach,
		hasBuilderInput: (values) => hasEntries(values.blocks),
		validate: validateAttach,
		jsonDescription:
			'Rich blocks under the message (ATTACH): a list of blocks, or {"COLOR_TOKEN": "primary", "BLOCKS": [...]}. Block types: MESSAGE, LINK, USER, GRID, IMAGE, FILE, DELIMITER.',
		jsonHint: 'A list of blocks, or {"COLOR_TOKEN": "primary", "BLOCKS": [...]}. Empty: no attachment.',
		jsonExample: '[{"MESSAGE": "Deployed"}, {"LINK": {"NAME": "Release notes", "LINK": "https://example.com"}}]',
	},
	{
		name: 'keyboard',
		param: 'KEYBOARD',
		label: 'Keyboard',
		what: 'keyboard',
		builderProperties: [keyboardBuilderProperty],
		build: buildKeyboard,
		hasBuilderInput: (values) => hasEntries(values.buttons),
		validate: validateKeyboard,
		jsonDescription:
			'Buttons under the message (KEYBOARD): a list of buttons or {"BUTTONS": [...]}. Each button needs TEXT and LINK, ACTION + ACTION_VALUE, COMMAND or APP_ID; {"TYPE": "NEWLINE"} starts a new row.',
		jsonHint: 'A list of buttons or {"BUTTONS": [...]}; {"TYPE": "NEWLINE"} starts a row. Empty: no keyboard.',
		jsonExample:
			'[{"TEXT": "Open", "LINK": "https://example.com"}, {"TEXT": "Ack", "ACTION": "SEND", "ACTION_VALUE": "ack"}]',
	},
	{
		name: 'menu',
		param: 'MENU',
		label: 'Menu',
		what: 'context menu',
		builderProperties: [menuBuilderProperty],
		build: buildMenu,
		hasBuilderInput: (values) => hasEntries(values.items),
		validate: validateMenu,
		jsonDescription:
			'Items added to the message context menu (MENU): a list of items or {"ITEMS": [...]}, each with TEXT and an action like a keyboard button',
		jsonHint: 'A list of items or {"ITEMS": [...]}, each with TEXT and an action. Empty: no menu.',
		jsonExample: '[{"TEXT": "Copy ID", "ACTION": "COPY", "ACTION_VALUE": "42"}]',
	},
];

export interface RichFieldPropertiesOptions {
	/**
	 * Add a Remove field (Bitrix24's `N`), for operations that change an existing message: its own
	 * switch, beside the structures, not one of the ways to give them.
	 */
	allowRemove?: boolean;
	/** When the fields are shown (the operation's resource and operation). */
	displayOptions: IDisplayOptions;
	/** The structures offered; all three by default (a bot message has no menu). */
	only?: RichFieldName[];
}

/** The name of the Remove field (a list of the structures to take off the message). */
const REMOVE = 'remove';

function removeProperty(fields: RichField[], displayOptions: IDisplayOptions): INodeProperties {
	return {
		displayName: 'Remove',
		name: REMOVE,
		type: 'multiOptions',
		default: [],
		description: 'What to take off the message. Leave a structure out here and above to keep it as it is.',
		displayOptions,
		options: fields.map((field) => ({
			name: field.label,
			value: field.name,
			description: `Take the ${field.what} off the message`,
		})),
	};
}

function modeProperty(field: RichField): INodeProperties {
	return {
		displayName: 'Input Method',
		name: 'mode',
		type: 'options',
		default: 'builder',
		description: `Whether to build the ${field.what} in the editor or give it as JSON`,
		options: [
			{ name: 'Build in Editor', value: 'builder', description: 'Fill in fields; no JSON needed' },
			{
				name: 'JSON',
				value: 'json',
				description: `Bitrix24's ${field.param} structure as JSON text or from an expression`,
			},
		],
	};
}

function entryProperty(field: RichField, options: RichFieldPropertiesOptions): INodeProperties {
	const inMode = (mode: RichFieldMode): IDisplayOptions => ({ show: { mode: [mode] } });
	return {
		displayName: field.label,
		name: field.name,
		type: 'fixedCollection',
		placeholder: `Add ${field.label}`,
		// Empty: the field shows its Add button (and, once its entry is deleted, that button again,
		// not an empty "no items" box).
		default: {},
		typeOptions: { hideEmptyMessage: true },
		displayOptions: options.displayOptions,
		options: [
			{
				displayName: field.label,
				name: CONTENT,
				values: [
					modeProperty(field),
					{
						// A text field, as Slack's node takes Block Kit JSON: n8n's JSON editor marks an
						// empty field as an error and shows no placeholder, while an empty field here
						// rightly means "send nothing" and the placeholder shows an example.
						displayName: `${field.label} JSON`,
						name: 'json',
						type: 'string',
						typeOptions: { rows: 4 },
						default: '',
						placeholder: field.jsonExample,
						description: field.jsonDescription,
						hint: field.jsonHint,
						displayOptions: inMode('json'),
					},
					...field.builderProperties.map((property) => ({ ...property, displayOptions: inMode('builder') })),
				],
			},
		],
	};
}

/** The editor fields for the attachment, keyboard and menu (and Remove), at an operation's top level. */
export function richFieldProperties(options: RichFieldPropertiesOptions): INodeProperties[] {
	const fields = RICH_FIELDS.filter((field) => options.only?.includes(field.name) ?? true);
	const entries = fields.map((field) => entryProperty(field, options));
	return options.allowRemove ? [...entries, removeProperty(fields, options.displayOptions)] : entries;
}

/** The item's values of the structures' fields (and Remove), for readRichFields. */
export function readRichFieldValues(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const values: IDataObject = {};
	for (const name of [...RICH_FIELDS.map((field) => field.name), REMOVE]) {
		// null, not undefined: n8n throws for a field the operation lacks unless given a fallback.
		const value = context.getNodeParameter(name, itemIndex, null) as unknown;
		if (value !== null && value !== undefined) values[name] = value as IDataObject;
	}
	return values;
}

/** Reports a problem with one structure; the caller adds the item. Never returns. */
export type RejectRichField = (label: string, problem: string) => never;

/** The entry's fields; undefined when the entry was added but not filled in. */
function readEntry(value: unknown): { mode: RichFieldMode; values: IDataObject } | undefined {
	if (value === undefined || value === null || typeof value !== 'object') return undefined;
	const entry = (value as IDataObject)[CONTENT];
	if (entry === undefined || entry === null || typeof entry !== 'object' || Array.isArray(entry)) return undefined;
	const values = entry as IDataObject;
	const mode: RichFieldMode = values.mode === 'json' ? 'json' : 'builder';
	return { mode, values };
}

/**
 * Reads and checks the structures in an operation's collection values. Returns the Bitrix24
 * parameters to send (ATTACH, KEYBOARD, MENU); a structure left empty is not sent at all.
 */
export function readRichFields(fields: IDataObject, reject: RejectRichField): IDataObject {
	const params: IDataObject = {};
	const removed = readRemove(fields[REMOVE], reject);
	for (const field of RICH_FIELDS) {
		if (removed.includes(field.name)) params[field.param] = 'N';
		const entry = readEntry(fields[field.name]);
		if (entry === undefined) continue;
		const rejectContent: RejectContent = (path, problem) => reject(field.label, path ? `${path} ${problem}` : problem);
		let parsed: unknown;
		if (entry.mode === 'builder') {
			if (!field.hasBuilderInput(entry.values)) continue;
			try {
				parsed = field.build(entry.values);
			} catch (error) {
				rejectContent('', error instanceof BuilderInputError ? error.message : String(error));
			}
		} else {
			parsed = parseJsonField(entry.values.json, `${field.label} JSON`, rejectContent);
		}
		if (parsed === undefined || parsed === null) continue;
		if (removed.includes(field.name)) {
			reject('Remove', `the ${field.what} is both given and removed. Remove it from one of the two`);
		}
		params[field.param] = field.validate(parsed, rejectContent) as IDataObject;
	}
	return params;
}

/** The Remove field: the structures to take off (a list, or one name from an expression). */
function readRemove(value: unknown, reject: RejectRichField): RichFieldName[] {
	if (value === undefined || value === null || value === '') return [];
	const names = Array.isArray(value) ? value : [value];
	const known = RICH_FIELDS.map((field) => field.name as string);
	for (const name of names) {
		if (typeof name !== 'string' || !known.includes(name)) {
			reject('Remove', `"${String(name)}" is not one of ${known.join(', ')}`);
		}
	}
	return names as RichFieldName[];
}
