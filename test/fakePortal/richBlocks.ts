/**
 * ATTACH, KEYBOARD and MENU as the im module reads them: a JSON string or a structure (full form
 * or bare array). Invalid items are dropped; if none survives, the block is an error.
 */
import { isRecord } from './envelope';

export type RichParam = { given: false } | { given: true; value: unknown; valid: boolean };

const BUTTON_ACTIONS = new Set(['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG']);

/** An absent or empty parameter counts as not given; a string must be JSON. */
export function readRichParam(raw: unknown, isValid: (value: unknown) => boolean): RichParam {
	if (raw === undefined || raw === null || raw === '') return { given: false };
	let value: unknown = raw;
	if (typeof raw === 'string') {
		try {
			value = JSON.parse(raw);
		} catch {
			return { given: true, value: raw, valid: false };
		}
	}
	return { given: true, value, valid: isValid(value) };
}

/** PHP arrays arrive as JS arrays (lists) or objects (other keys): both are a sequence of items. */
function itemsOf(value: unknown): unknown[] | undefined {
	if (Array.isArray(value)) return value;
	if (isRecord(value)) return Object.values(value);
	return undefined;
}

function nonEmptyText(value: unknown): boolean {
	return (typeof value === 'string' && value.trim() !== '') || typeof value === 'number';
}

export function isValidLink(value: unknown): boolean {
	return typeof value === 'string' && /^(https?:\/\/\S|\/)/i.test(value);
}

/** An object or a list of objects of which at least one passes. */
function oneOrMany(value: unknown, isValidItem: (item: Record<string, unknown>) => boolean): boolean {
	if (!isRecord(value)) return false;
	// A PHP array with integer keys is a list of items (JSON gives an object when keys have gaps).
	const isListOfItems = Array.isArray(value) || Object.keys(value).every((key) => /^\d+$/.test(key));
	const candidates = isListOfItems ? (itemsOf(value) ?? []) : [value];
	return candidates.some((item) => isRecord(item) && isValidItem(item));
}

function isValidAttachBlock(block: unknown): boolean {
	if (!isRecord(block) || Array.isArray(block)) return false;
	if ('MESSAGE' in block && nonEmptyText(block.MESSAGE)) return true;
	if ('LINK' in block && oneOrMany(block.LINK, (link) => isValidLink(link.LINK))) return true;
	if ('USER' in block && oneOrMany(block.USER, (user) => nonEmptyText(user.NAME))) return true;
	if ('GRID' in block && oneOrMany(block.GRID, (cell) => nonEmptyText(cell.NAME) || nonEmptyText(cell.VALUE)))
		return true;
	if ('IMAGE' in block && oneOrMany(block.IMAGE, (image) => isValidLink(image.LINK))) return true;
	if ('FILE' in block && oneOrMany(block.FILE, (file) => isValidLink(file.LINK))) return true;
	if ('DELIMITER' in block && (isRecord(block.DELIMITER) || block.DELIMITER === '')) return true;
	return false;
}

export function isValidAttach(value: unknown): boolean {
	if (!isRecord(value)) return false;
	const blocks = !Array.isArray(value) && 'BLOCKS' in value ? itemsOf(value.BLOCKS) : itemsOf(value);
	return (blocks ?? []).some(isValidAttachBlock);
}

/** A button or menu item: TEXT plus one of LINK, ACTION+ACTION_VALUE, COMMAND, APP_ID. */
function isValidAction(item: Record<string, unknown>): boolean {
	if (!nonEmptyText(item.TEXT)) return false;
	if (isValidLink(item.LINK)) return true;
	if (typeof item.ACTION === 'string' && BUTTON_ACTIONS.has(item.ACTION) && item.ACTION_VALUE !== undefined)
		return true;
	if (nonEmptyText(item.COMMAND)) return true;
	return nonEmptyText(item.APP_ID);
}

export function isValidKeyboard(value: unknown): boolean {
	if (!isRecord(value)) return false;
	const buttons = !Array.isArray(value) && 'BUTTONS' in value ? itemsOf(value.BUTTONS) : itemsOf(value);
	// A NEWLINE only breaks the row; a keyboard needs at least one real button.
	return (buttons ?? []).some((button) => isRecord(button) && button.TYPE !== 'NEWLINE' && isValidAction(button));
}

export function isValidMenu(value: unknown): boolean {
	if (!isRecord(value)) return false;
	const items = !Array.isArray(value) && 'ITEMS' in value ? itemsOf(value.ITEMS) : itemsOf(value);
	return (items ?? []).some((item) => isRecord(item) && isValidAction(item));
}
