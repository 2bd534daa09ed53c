/**
 * Context-menu builder: the items added to the message's "…" menu, edited in the n8n UI instead
 * of MENU JSON. Converts to Bitrix24's `{ ITEMS: [{ TEXT, LINK | COMMAND | ACTION+ACTION_VALUE }] }`.
 */
import type { IDataObject, INodeProperties } from 'n8n-workflow';
import { buildActionFields, clickableEntryValues } from './buttonActions';
import { BuilderInputError, readEntries, requireText } from './builderValues';

export interface BitrixMenu {
	ITEMS: Array<Record<string, string>>;
}

/** The builder's one field: the menu items, in the order the user arranges them. */
export const menuBuilderProperty: INodeProperties = {
	displayName: 'Items',
	name: 'items',
	type: 'fixedCollection',
	placeholder: 'Add Menu Item',
	default: {},
	description: "Extra items in the message's context menu, in this order",
	typeOptions: { multipleValues: true, sortable: true },
	options: [
		{
			displayName: 'Item',
			name: 'item',
			values: clickableEntryValues('Label of the menu item', []),
		},
	],
};

/** Converts the builder's values (`items`) into the MENU structure. */
export function buildMenu(values: IDataObject): BitrixMenu {
	const entries = readEntries(values.items, 'item');
	if (entries.length === 0) throw new BuilderInputError('Items: add at least one menu item');
	return {
		ITEMS: entries.map((entry: IDataObject, index) => {
			const where = `Menu item ${index + 1}`;
			return { TEXT: requireText(entry, 'text', where, 'Text'), ...buildActionFields(entry, where) };
		}),
	};
}
