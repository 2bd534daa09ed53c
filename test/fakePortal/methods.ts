/** The REST methods the fake portal knows, with the scope each needs. */
import { RestError } from './envelope';
import { allUsers, RECENT_ITEMS, resolveDialog, userById, type DialogResolution, type DialogTarget } from './directory';
import type { MessageStore } from './messageStore';
import { createChatLoopMethods } from './chatLoopMethods';
import { isValidAttach, isValidKeyboard, isValidMenu, readRichParam } from './richBlocks';

export interface CallContext {
	via: 'direct' | 'batch';
	auth: 'webhook' | 'oauth';
	scopes: readonly string[];
	/** The user the call runs as (the webhook's owner, or the token's user). */
	userId?: number;
}

export interface MethodSuccess {
	result: unknown;
	/** list methods put `total` / `next` beside `result` (and into result_total/result_next in a batch). */
	total?: number;
	next?: number;
}

export interface MethodDefinition {
	/** null: callable with any scope (profile, scope). */
	scope: string | null;
	/** Throws RestError on failure. */
	handler: (params: Record<string, unknown>, context: CallContext) => MethodSuccess;
}

export const MAX_MESSAGE_LENGTH = 20000;
export const MAX_ATTACH_LENGTH = 60000;

const DIALOG_ERRORS: Record<Exclude<DialogResolution, { ok: true }>['code'], RestError> = {
	USER_ID_EMPTY: new RestError(400, 'USER_ID_EMPTY', "User ID can't be empty"),
	CHAT_ID_EMPTY: new RestError(400, 'CHAT_ID_EMPTY', "Chat ID can't be empty"),
	USER_NOT_FOUND: new RestError(400, 'USER_NOT_FOUND', 'User not found'),
	ACCESS_ERROR: new RestError(403, 'ACCESS_ERROR', 'Action unavailable'),
};

/** The im module upper-cases parameter names (array_change_key_case), so 'dialog_id' works too. */
export function upperCaseKeys(params: Record<string, unknown>): Record<string, unknown> {
	const upper: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(params)) upper[key.toUpperCase()] = value;
	return upper;
}

export function scalarText(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'bigint') return String(value);
	return '';
}

/** The characters PHP trim() removes by default: " \t\n\r\0\x0B", not every Unicode space. */
const PHP_TRIM_CHARACTERS = new Set([' ', '\t', '\n', '\r', String.fromCharCode(0), String.fromCharCode(11)]);

export function phpTrim(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && PHP_TRIM_CHARACTERS.has(text[start])) start++;
	while (end > start && PHP_TRIM_CHARACTERS.has(text[end - 1])) end--;
	return text.slice(start, end);
}

/** mb_substr($text, 0, max): counts code points, not UTF-16 units. */
export function cutToCodePoints(text: string, max: number): string {
	if (text.length <= max) return text;
	const codePoints = Array.from(text);
	return codePoints.length <= max ? text : codePoints.slice(0, max).join('');
}

/** DIALOG_ID, or the legacy CHAT_ID / USER_ID. */
function dialogIdOf(params: Record<string, unknown>): string {
	const dialogId = scalarText(params.DIALOG_ID).trim();
	if (dialogId !== '') return dialogId;
	const chatId = scalarText(params.CHAT_ID).trim();
	if (chatId !== '') return `chat${chatId}`;
	return scalarText(params.USER_ID).trim();
}

export function resolveOrThrow(dialogId: string, store?: MessageStore): DialogTarget {
	const resolution = resolveDialog(dialogId, (chatId) => store?.chatLoop.chats.has(chatId) === true);
	if (!resolution.ok) throw DIALOG_ERRORS[resolution.code];
	return resolution.target;
}

function imMessageAdd(store: MessageStore, rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
	const params = upperCaseKeys(rawParams);
	// MESSAGE is checked before the dialog: an empty body (e.g. invalid JSON) fails with MESSAGE_EMPTY.
	const message = cutToCodePoints(phpTrim(scalarText(params.MESSAGE)), MAX_MESSAGE_LENGTH);
	const attachGiven = params.ATTACH !== undefined && params.ATTACH !== null && params.ATTACH !== '';
	if (message === '' && !attachGiven) throw new RestError(400, 'MESSAGE_EMPTY', "Message can't be empty");
	const target = resolveOrThrow(dialogIdOf(params), store);

	const attach = readRichParam(params.ATTACH, isValidAttach);
	if (attach.given && !attach.valid) throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params');
	if (attach.given && JSON.stringify(attach.value).length > MAX_ATTACH_LENGTH) {
		throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
	}
	const keyboard = readRichParam(params.KEYBOARD, isValidKeyboard);
	if (keyboard.given && !keyboard.valid) throw new RestError(400, 'KEYBOARD_ERROR', 'Incorrect keyboard params');
	const menu = readRichParam(params.MENU, isValidMenu);
	if (menu.given && !menu.valid) throw new RestError(400, 'MENU_ERROR', 'Incorrect menu params');

	// PHP intval(): anything that is not a positive integer means "no reply".
	const replyId = Number.parseInt(scalarText(params.REPLY_ID), 10);
	if (replyId > 0) {
		const original = store.get(replyId);
		if (!original) throw new RestError(403, 'REPLY_ACCESS_ERROR', 'Action unavailable');
		if (original.dialogId !== target.dialogId) {
			throw new RestError(403, 'REPLY_FROM_OTHER_CHAT_ERROR', 'You can only reply to a message within the same chat');
		}
	}

	const stored = store.add({
		dialogId: target.dialogId,
		message,
		...(attach.given ? { attach: attach.value } : {}),
		...(keyboard.given ? { keyboard: keyboard.value } : {}),
		...(menu.given ? { menu: menu.value } : {}),
		system: params.SYSTEM === 'Y' ? 'Y' : 'N',
		urlPreview: params.URL_PREVIEW === 'N' ? 'N' : 'Y',
		...(replyId > 0 ? { replyId } : {}),
		via: context.via,
		auth: context.auth,
		...(context.userId !== undefined ? { authorId: context.userId } : {}),
	});
	return { result: stored.id };
}

function isYes(value: unknown): boolean {
	return value === 'Y' || value === true;
}

/** im.recent.list: OFFSET, LIMIT (1..200, default 50), SKIP_CHAT, SKIP_DIALOG; answers {items, hasMorePages}. */
function imRecentList(rawParams: Record<string, unknown>): MethodSuccess {
	const params = upperCaseKeys(rawParams);
	const offset = Math.max(0, Number.parseInt(scalarText(params.OFFSET), 10) || 0);
	const requestedLimit = Number.parseInt(scalarText(params.LIMIT), 10);
	const limit = Math.min(200, requestedLimit > 0 ? requestedLimit : 50);
	const skipChats = isYes(params.SKIP_CHAT);
	const skipUsers = isYes(params.SKIP_DIALOG);
	const matching = RECENT_ITEMS.filter(
		(item) => !(skipChats && item.type === 'chat') && !(skipUsers && item.type === 'user'),
	);
	const items = matching.slice(offset, offset + limit);
	const hasMore = offset + limit < matching.length;
	// The documented key is hasMorePages; hasMore is kept beside it for older clients.
	return { result: { items, hasMorePages: hasMore, hasMore } };
}

function userSearch(rawParams: Record<string, unknown>): MethodSuccess {
	const params = upperCaseKeys(rawParams);
	const filter =
		typeof params.FILTER === 'object' && params.FILTER !== null
			? upperCaseKeys(params.FILTER as Record<string, unknown>)
			: {};
	const find = scalarText(params.FIND ?? filter.FIND ?? params.NAME ?? filter.NAME)
		.trim()
		.toLowerCase();
	const found = allUsers()
		.filter((user) => find === '' || `${user.name} ${user.lastName}`.toLowerCase().includes(find))
		.map((user) => ({
			ID: String(user.id),
			ACTIVE: true,
			NAME: user.name,
			LAST_NAME: user.lastName,
			EMAIL: `user${user.id}@example.test`,
		}));
	const page = found.slice(0, 50);
	return { result: page, total: found.length, ...(found.length > 50 ? { next: 50 } : {}) };
}

export function createMethods(store: MessageStore, webhookUserId: () => number): Map<string, MethodDefinition> {
	return new Map<string, MethodDefinition>([
		...createChatLoopMethods(store, webhookUserId),
		['im.message.add', { scope: 'im', handler: (params, context) => imMessageAdd(store, params, context) }],
		['im.recent.list', { scope: 'im', handler: imRecentList }],
		['user.search', { scope: 'user', handler: userSearch }],
		['scope', { scope: null, handler: (_params, context) => ({ result: [...context.scopes] }) }],
		[
			'profile',
			{
				scope: null,
				handler: (_params, context) => {
					const userId = context.auth === 'webhook' ? webhookUserId() : 1;
					const user = userById(userId) ?? { id: userId, name: 'Fake', lastName: 'User' };
					return {
						result: {
							ID: String(user.id),
							ADMIN: true,
							NAME: user.name,
							LAST_NAME: user.lastName,
							PERSONAL_GENDER: '',
							TIME_ZONE: '',
						},
					};
				},
			},
		],
	]);
}
