/**
 * Checks ATTACH, KEYBOARD and MENU before sending. Bitrix24 silently drops invalid parts and only
 * fails when nothing survives, so a typo would otherwise vanish without a word: here every
 * problem is reported with its path (e.g. `BLOCKS[2].LINK.LINK`).
 */

import { ATTACH_COLOR_TOKENS, isAttachColorToken, isHexColor, linkProblem } from './contentRules';

export const MAX_ATTACH_CHARACTERS = 60_000;

export const ATTACH_BLOCK_TYPES = ['MESSAGE', 'LINK', 'USER', 'GRID', 'IMAGE', 'FILE', 'DELIMITER'] as const;
export const KEYBOARD_ACTIONS = ['PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'] as const;
const GRID_DISPLAYS = ['BLOCK', 'LINE', 'ROW', 'TABLE'];
const BUTTON_DISPLAYS = ['LINE', 'BLOCK'];

/** Reports a problem at a path inside the structure (e.g. `BLOCKS[2].LINK.LINK`); never returns. */
export type RejectContent = (path: string, problem: string) => never;

type Json = unknown;
type JsonObject = Record<string, Json>;

function isObject(value: Json): value is JsonObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Accepts a JSON string or an object/array given by an expression. */
export function parseJsonField(value: Json, fieldName: string, fail: RejectContent): Json {
	if (typeof value !== 'string') return value;
	const text = value.trim();
	if (text === '') return undefined;
	try {
		return JSON.parse(text);
	} catch (error) {
		const reason = error instanceof Error ? error.message : 'parse error';
		return fail(
			'',
			`${fieldName} is not valid JSON (${reason}). Give it as JSON text, or as an object or a list from an expression`,
		);
	}
}

function checkLink(fail: RejectContent, value: Json, path: string, required: boolean): void {
	if (value === undefined || value === null || value === '') {
		if (required) fail(path, 'is required');
		return;
	}
	if (typeof value !== 'string') fail(path, 'must be a string');
	const problem = linkProblem(value);
	if (problem) fail(path, problem);
}

function checkOptionalString(fail: RejectContent, value: Json, path: string): void {
	if (value !== undefined && value !== null && typeof value !== 'string' && typeof value !== 'number') {
		fail(path, 'must be a string');
	}
}

function checkColor(fail: RejectContent, value: Json, path: string): void {
	if (value === undefined || value === null || value === '') return;
	if (typeof value !== 'string' || !isHexColor(value)) {
		fail(path, 'must be a hex color like #29619b');
	}
}

function listOf(fail: RejectContent, value: Json, path: string): Json[] {
	// Bitrix24 accepts a single object where a list is expected (e.g. IMAGE: {LINK}).
	if (Array.isArray(value)) return value;
	if (isObject(value)) return [value];
	return fail(path, 'must be an object or a list of objects');
}

function checkAttachBlock(fail: RejectContent, block: Json, path: string): void {
	if (!isObject(block)) fail(path, `must be an object with one of ${ATTACH_BLOCK_TYPES.join(', ')}`);
	const keys = Object.keys(block);
	const known = keys.filter((key) => (ATTACH_BLOCK_TYPES as readonly string[]).includes(key));
	if (known.length === 0) {
		fail(
			path,
			`has no known block type (found ${keys.join(', ') || 'nothing'}; expected one of ${ATTACH_BLOCK_TYPES.join(', ')})`,
		);
	}
	for (const type of known) {
		const value = block[type];
		const at = `${path}.${type}`;
		switch (type) {
			case 'MESSAGE':
				if (typeof value !== 'string' || value.trim() === '') fail(at, 'must be non-empty text');
				break;
			case 'LINK':
				if (!isObject(value)) fail(at, 'must be an object with LINK');
				checkLink(fail, value.LINK, `${at}.LINK`, true);
				checkLink(fail, value.PREVIEW, `${at}.PREVIEW`, false);
				checkOptionalString(fail, value.NAME, `${at}.NAME`);
				checkOptionalString(fail, value.DESC, `${at}.DESC`);
				break;
			case 'USER':
				if (!isObject(value)) fail(at, 'must be an object with NAME');
				if (typeof value.NAME !== 'string' || value.NAME.trim() === '') fail(`${at}.NAME`, 'is required');
				checkLink(fail, value.AVATAR, `${at}.AVATAR`, false);
				checkLink(fail, value.LINK, `${at}.LINK`, false);
				break;
			case 'GRID':
				listOf(fail, value, at).forEach((row, index) => {
					const rowPath = `${at}[${index}]`;
					if (!isObject(row)) fail(rowPath, 'must be an object');
					if (row.DISPLAY !== undefined && !GRID_DISPLAYS.includes(String(row.DISPLAY))) {
						fail(`${rowPath}.DISPLAY`, `must be one of ${GRID_DISPLAYS.join(', ')}`);
					}
					if ((row.NAME ?? '') === '' && (row.VALUE ?? '') === '') fail(rowPath, 'needs NAME or VALUE');
					checkLink(fail, row.LINK, `${rowPath}.LINK`, false);
					checkColor(fail, row.COLOR, `${rowPath}.COLOR`);
				});
				break;
			case 'IMAGE':
				listOf(fail, value, at).forEach((image, index) => {
					const imagePath = `${at}[${index}]`;
					if (!isObject(image)) fail(imagePath, 'must be an object with LINK');
					checkLink(fail, image.LINK, `${imagePath}.LINK`, true);
					checkLink(fail, image.PREVIEW, `${imagePath}.PREVIEW`, false);
				});
				break;
			case 'FILE':
				listOf(fail, value, at).forEach((file, index) => {
					const filePath = `${at}[${index}]`;
					if (!isObject(file)) fail(filePath, 'must be an object with LINK');
					checkLink(fail, file.LINK, `${filePath}.LINK`, true);
				});
				break;
			case 'DELIMITER':
				if (!isObject(value)) fail(at, 'must be an object (e.g. {"SIZE": 200, "COLOR": "#c6c6c6"})');
				checkColor(fail, value.COLOR, `${at}.COLOR`);
				break;
		}
	}
}

export function validateAttach(value: Json, fail: RejectContent): Json {
	let blocks: Json[];
	let blocksPath: string;
	if (Array.isArray(value)) {
		blocks = value;
		blocksPath = '';
	} else if (isObject(value)) {
		if (!Array.isArray(value.BLOCKS)) fail('', 'must be a list of blocks or an object with BLOCKS (a list)');
		blocks = value.BLOCKS;
		blocksPath = 'BLOCKS';
		if (value.COLOR_TOKEN !== undefined && !isAttachColorToken(String(value.COLOR_TOKEN))) {
			fail('COLOR_TOKEN', `must be one of ${ATTACH_COLOR_TOKENS.join(', ')}`);
		}
		checkColor(fail, value.COLOR, 'COLOR');
	} else {
		return fail('', 'must be a list of blocks or an object with BLOCKS');
	}
	if (blocks.length === 0) fail(blocksPath, 'has no blocks');
	blocks.forEach((block, index) => checkAttachBlock(fail, block, `${blocksPath}[${index}]`));
	const size = JSON.stringify(value).length;
	if (size > MAX_ATTACH_CHARACTERS) {
		fail('', `is ${size} characters long once serialized; Bitrix24 accepts at most ${MAX_ATTACH_CHARACTERS}`);
	}
	return value;
}

function checkAction(fail: RejectContent, entry: JsonObject, path: string): void {
	// null, like a missing key or '', means "not given" (expressions often produce null).
	const given = (value: Json) => value !== undefined && value !== null && value !== '';
	const hasLink = given(entry.LINK);
	const hasAction = given(entry.ACTION);
	const hasCommand = given(entry.COMMAND);
	const hasApp = given(entry.APP_ID);
	if (!hasLink && !hasAction && !hasCommand && !hasApp) {
		fail(path, 'needs an action: LINK, ACTION with ACTION_VALUE, COMMAND or APP_ID');
	}
	if (hasLink) checkLink(fail, entry.LINK, `${path}.LINK`, true);
	if (hasAction) {
		if (!(KEYBOARD_ACTIONS as readonly string[]).includes(String(entry.ACTION))) {
			fail(`${path}.ACTION`, `must be one of ${KEYBOARD_ACTIONS.join(', ')}`);
		}
		if (entry.ACTION_VALUE === undefined || entry.ACTION_VALUE === '')
			fail(`${path}.ACTION_VALUE`, 'is required with ACTION');
	}
}

function checkText(fail: RejectContent, entry: JsonObject, path: string): void {
	if (typeof entry.TEXT !== 'string' || entry.TEXT.trim() === '') fail(`${path}.TEXT`, 'is required');
}

/** KEYBOARD and MENU come as a bare list or as {BUTTONS: [...]} / {ITEMS: [...]}. */
function listUnder(fail: RejectContent, value: Json, key: string, what: string): { entries: Json[]; path: string } {
	if (Array.isArray(value)) {
		if (value.length === 0) fail('', `has no ${what}`);
		return { entries: value, path: '' };
	}
	if (isObject(value) && Array.isArray(value[key])) {
		const entries = value[key] as Json[];
		if (entries.length === 0) fail(key, `has no ${what}`);
		return { entries, path: key };
	}
	return fail('', `must be a list of ${what} or an object with ${key} (a list)`);
}

export function validateKeyboard(value: Json, fail: RejectContent): Json {
	const { entries: buttons, path } = listUnder(fail, value, 'BUTTONS', 'buttons');
	buttons.forEach((button, index) => {
		const at = `${path}[${index}]`;
		if (!isObject(button)) fail(at, 'must be an object');
		if (button.TYPE === 'NEWLINE') return;
		checkText(fail, button, at);
		checkAction(fail, button, at);
		checkColor(fail, button.BG_COLOR, `${at}.BG_COLOR`);
		checkColor(fail, button.TEXT_COLOR, `${at}.TEXT_COLOR`);
		if (button.DISPLAY !== undefined && !BUTTON_DISPLAYS.includes(String(button.DISPLAY))) {
			fail(`${at}.DISPLAY`, `must be one of ${BUTTON_DISPLAYS.join(', ')}`);
		}
	});
	return value;
}

export function validateMenu(value: Json, fail: RejectContent): Json {
	const { entries: items, path } = listUnder(fail, value, 'ITEMS', 'items');
	items.forEach((item, index) => {
		const at = `${path}[${index}]`;
		if (!isObject(item)) fail(at, 'must be an object');
		checkText(fail, item, at);
		checkAction(fail, item, at);
	});
	return value;
}
