/**
 * The chat-loop methods of the fake portal: editing, deleting, liking and reading messages,
 * notifications and chats, with the parameters and error codes of the Bitrix24 REST
 * documentation (its chats section).
 */
import { chatTitle, userById } from './directory';
import { RestError } from './envelope';
import type { MessageStore } from './messageStore';
import {
	MAX_ATTACH_LENGTH,
	MAX_MESSAGE_LENGTH,
	cutToCodePoints,
	phpTrim,
	resolveOrThrow,
	scalarText,
	upperCaseKeys,
	type CallContext,
	type MethodDefinition,
	type MethodSuccess,
} from './methods';
import { isValidAttach, isValidKeyboard, isValidMenu, readRichParam } from './richBlocks';
import type { StoredMessage } from './types';

/** im.dialog.messages.get answers at most this many messages per call. */
export const MAX_HISTORY_PAGE = 50;
/** Dates of messages without one: a fixed start, one minute per message ID. */
const HISTORY_EPOCH_MS = Date.UTC(2026, 0, 15, 9, 0, 0);

const CHAT_COLORS = [
	'RED',
	'GREEN',
	'MINT',
	'LIGHT_BLUE',
	'DARK_BLUE',
	'PURPLE',
	'AQUA',
	'PINK',
	'LIME',
	'BROWN',
	'AZURE',
	'KHAKI',
	'SAND',
	'MARENGO',
	'GRAY',
	'GRAPHITE',
];

/** PHP intval() of a parameter. */
function intval(value: unknown): number {
	const parsed = Number.parseInt(scalarText(value).trim(), 10);
	return Number.isFinite(parsed) ? parsed : 0;
}

/** A list parameter: JSON array, or the PHP array a form/batch query decodes to (an object). */
function listOf(value: unknown): unknown[] {
	if (Array.isArray(value)) return value;
	if (value !== null && typeof value === 'object') return Object.values(value);
	if (value === undefined || value === null || value === '') return [];
	return [value];
}

function atomDate(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function createChatLoopMethods(
	store: MessageStore,
	webhookUserId: () => number,
): Array<[string, MethodDefinition]> {
	const callerOf = (context: CallContext): number => (context.auth === 'webhook' ? webhookUserId() : 1);
	const authorOf = (message: StoredMessage): number =>
		message.authorId ?? (message.auth === 'webhook' ? webhookUserId() : 1);
	const dateOf = (message: StoredMessage): string =>
		message.date ?? atomDate(HISTORY_EPOCH_MS + (message.id - 1000) * 60_000);
	const chats = store.chatLoop;

	/** CIMMessenger's check before an edit or delete: the message exists, is not deleted, and is the caller's. */
	function editableMessage(params: Record<string, unknown>, context: CallContext): StoredMessage {
		const messageId = intval(params.MESSAGE_ID);
		if (messageId <= 0) throw new RestError(400, 'MESSAGE_ID_ERROR', "Message ID can't be empty");
		const message = store.get(messageId);
		if (!message || message.deleted || authorOf(message) !== callerOf(context)) {
			throw new RestError(403, 'CANT_EDIT_MESSAGE', "Time has expired for modification or you don't have access");
		}
		return message;
	}

	function update(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const message = editableMessage(params, context);
		// Structures are checked first: a failing update changes nothing.
		const rich = {
			attach: richUpdate(params.ATTACH, isValidAttach, 'ATTACH'),
			keyboard: richUpdate(params.KEYBOARD, isValidKeyboard, 'KEYBOARD'),
			menu: richUpdate(params.MENU, isValidMenu, 'MENU'),
		};
		if ('MESSAGE' in params) {
			const text = editedText(scalarText(params.MESSAGE));
			// Documented: "If an empty value is provided, the message will be deleted." Empty is
			// judged after the line-break tags became line breaks and the text was trimmed.
			if (text === '') {
				message.deleted = true;
				return { result: true };
			}
			message.message = text;
		}
		for (const [key, change] of Object.entries(rich) as Array<[keyof typeof rich, RichUpdate]>) {
			if (change.kind === 'remove') delete message[key];
			if (change.kind === 'set') message[key] = change.value;
		}
		if (params.URL_PREVIEW !== undefined) message.urlPreview = params.URL_PREVIEW === 'N' ? 'N' : 'Y';
		if (params.IS_EDITED !== 'N') message.edited = true;
		return { result: true };
	}

	function remove(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		// A deleted message fails the check too: a second delete is CANT_EDIT_MESSAGE.
		const message = editableMessage(params, context);
		message.deleted = true;
		return { result: true };
	}

	function like(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const messageId = intval(params.MESSAGE_ID);
		if (messageId <= 0) throw new RestError(400, 'MESSAGE_ID_ERROR', "Message ID can't be empty");
		// CIMMessenger::Like answers false for a message it cannot find (or whose chat the caller is
		// not in), and the REST method turns every false into WITHOUT_CHANGES: the same code as
		// "already liked".
		const message = store.get(messageId);
		if (!message || message.deleted) {
			throw new RestError(400, 'WITHOUT_CHANGES', 'Action completed without changes');
		}
		const action = ['plus', 'minus', 'auto'].includes(scalarText(params.ACTION).toLowerCase())
			? scalarText(params.ACTION).toLowerCase()
			: 'auto';
		const caller = callerOf(context);
		const likes = message.likes ?? [];
		const liked = likes.includes(caller);
		if ((action === 'plus' && liked) || (action === 'minus' && !liked)) {
			throw new RestError(400, 'WITHOUT_CHANGES', 'Action completed without changes');
		}
		message.likes = liked ? likes.filter((id) => id !== caller) : [...likes, caller];
		return { result: true };
	}

	function history(rawParams: Record<string, unknown>): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const dialogId = scalarText(params.DIALOG_ID).trim();
		if (dialogId === '') throw new RestError(400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
		const target = resolveOrThrow(dialogId, store);
		// The server checks the cursors' shape: digits only, or it names the one that is not.
		for (const [name, code] of [
			['FIRST_ID', 'FIRST_ID_STRING'],
			['LAST_ID', 'LAST_ID_STRING'],
		] as const) {
			if (params[name] !== undefined && !/^\d+$/.test(scalarText(params[name]))) {
				const label = name === 'FIRST_ID' ? 'First' : 'Last';
				throw new RestError(400, code, `${label} ID can't be string`);
			}
		}
		const requested = intval(params.LIMIT);
		const limit = Math.min(MAX_HISTORY_PAGE, requested > 0 ? requested : 20);
		let messages = store.messages.filter((message) => message.dialogId === target.dialogId);
		let page: StoredMessage[];
		if (params.FIRST_ID !== undefined && params.FIRST_ID !== '') {
			// Forward from FIRST_ID (0 = from the first message), oldest first as the database reads them.
			const firstId = intval(params.FIRST_ID);
			page = messages.filter((message) => message.id > firstId).slice(0, limit);
		} else {
			const lastId = intval(params.LAST_ID);
			if (lastId > 0) messages = messages.filter((message) => message.id < lastId);
			page = messages.slice(-limit).reverse();
		}
		const chatId =
			target.kind === 'chat' ? target.chatId : target.kind === 'user' ? 1000 + target.userId : 2000 + target.groupId;
		const authors = [...new Set(page.map(authorOf))];
		return {
			result: {
				messages: page.map((message) => ({
					id: message.id,
					chat_id: chatId,
					author_id: message.system === 'Y' ? 0 : authorOf(message),
					date: dateOf(message),
					// A deleted message stays in the history, emptied and marked.
					text: message.deleted ? '' : message.message,
					params: paramsOf(message),
				})),
				users: authors.map((id) => {
					const user = userById(id);
					const name = user ? `${user.name} ${user.lastName}` : `User ${id}`;
					return { id, name, first_name: user?.name ?? '', last_name: user?.lastName ?? '', bot: false };
				}),
				files: [],
				chat_id: chatId,
			},
		};
	}

	function notify(kind: 'personal' | 'system') {
		return (rawParams: Record<string, unknown>, context: CallContext): MethodSuccess => {
			const params = upperCaseKeys(rawParams);
			const userId = intval(params.USER_ID);
			if (userId <= 0) throw new RestError(400, 'USER_ID_EMPTY', "User ID can't be empty");
			const message = phpTrim(scalarText(params.MESSAGE));
			if (message === '') throw new RestError(400, 'MESSAGE_EMPTY', "Message can't be empty");
			const tag = scalarText(params.TAG);
			const subTag = scalarText(params.SUB_TAG);
			const clientId = scalarText(params.CLIENT_ID);
			// A webhook has no application behind it: tags need CLIENT_ID to know whose they are.
			if (context.auth === 'webhook' && (tag !== '' || subTag !== '') && clientId === '') {
				throw new RestError(403, 'ACCESS_DENIED', 'Access denied! Client ID not specified');
			}
			const attach = readRichParam(params.ATTACH, isValidAttach);
			if (attach.given && !attach.valid) throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params');
			if (attach.given && JSON.stringify(attach.value).length > MAX_ATTACH_LENGTH) {
				throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
			}
			// Documented: "If the notification was not created, it may return false" (e.g. no such user).
			if (!userById(userId)) return { result: false };
			const appKey = context.auth === 'webhook' ? clientId : 'oauth-app';
			const stored = chats.addNotification({
				kind,
				userId,
				message,
				messageOut: scalarText(params.MESSAGE_OUT),
				...(tag !== '' ? { tag: `${appKey}|${tag}` } : {}),
				...(subTag !== '' ? { subTag: `${appKey}|${subTag}` } : {}),
				...(attach.given ? { attach: attach.value } : {}),
				...(clientId !== '' ? { clientId } : {}),
				auth: context.auth,
			});
			return { result: stored.id };
		};
	}

	function chatAdd(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const caller = callerOf(context);
		const ownerId = intval(params.OWNER_ID) > 0 ? intval(params.OWNER_ID) : caller;
		const users = listOf(params.USERS)
			.map(intval)
			.filter((id) => id > 0 && userById(id) !== undefined);
		const color = scalarText(params.COLOR).toUpperCase();
		const created = chats.createChat({
			title: scalarText(params.TITLE).trim() || `Chat with ${users.length + 1} people`,
			type: scalarText(params.TYPE).toUpperCase() === 'OPEN' ? 'OPEN' : 'CHAT',
			description: scalarText(params.DESCRIPTION),
			color: CHAT_COLORS.includes(color) ? color : 'MINT',
			ownerId,
			// The creator is always a member, as the owner unless OWNER_ID names someone else.
			userIds: [...new Set([caller, ownerId, ...users])],
		});
		const first = phpTrim(scalarText(params.MESSAGE));
		if (first !== '') {
			store.add({
				dialogId: `chat${created.id}`,
				message: first,
				system: 'N',
				urlPreview: 'Y',
				via: context.via,
				auth: context.auth,
			});
		}
		return { result: created.id };
	}

	function dialogGet(rawParams: Record<string, unknown>): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const dialogId = scalarText(params.DIALOG_ID).trim();
		if (dialogId === '') throw new RestError(400, 'DIALOG_ID_EMPTY', "Dialog ID can't be empty");
		const target = resolveOrThrow(dialogId, store);
		if (target.kind === 'user') {
			const user = userById(target.userId);
			const name = `${user?.name} ${user?.lastName}`;
			return {
				result: {
					id: 1000 + target.userId,
					dialog_id: target.dialogId,
					type: 'private',
					name,
					title: name,
					owner: 0,
					user_counter: 2,
				},
			};
		}
		if (target.kind === 'workgroup') {
			const title = `Workgroup ${target.groupId}`;
			return {
				result: {
					id: 2000 + target.groupId,
					dialog_id: target.dialogId,
					type: 'chat',
					entity_type: 'SONET_GROUP',
					name: title,
					title,
					owner: 1,
					user_counter: 5,
				},
			};
		}
		const created = chats.chats.get(target.chatId);
		const title = created?.title ?? chatTitle(target.chatId);
		return {
			result: {
				id: target.chatId,
				dialog_id: target.dialogId,
				type: created?.type === 'OPEN' ? 'open' : 'chat',
				name: title,
				title,
				owner: created?.ownerId ?? 1,
				description: created?.description ?? '',
				user_counter: created?.userIds.length ?? 3,
				date_create: atomDate(HISTORY_EPOCH_MS),
			},
		};
	}

	function chatUserAdd(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const chatId = intval(params.CHAT_ID);
		if (chatId <= 0) throw new RestError(400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
		const target = resolveOrThrow(`chat${chatId}`, store);
		if (target.kind !== 'chat') throw new RestError(403, 'ACCESS_ERROR', 'Action unavailable');
		const chat = chats.chats.get(chatId);
		const users = listOf(params.USERS)
			.map(intval)
			.filter((id) => id > 0 && userById(id) !== undefined);
		if (chat) {
			if (!chat.userIds.includes(callerOf(context))) {
				throw new RestError(403, 'ACCESS_DENIED_EXTEND', 'Insufficient permissions to add participants to the chat');
			}
			// CIMChat::AddUser adds only people who are not members yet, and answers false when no one
			// is left to add: the REST method turns that into WRONG_REQUEST (HTTP 400).
			const newcomers = users.filter((id) => !chat.userIds.includes(id));
			if (newcomers.length === 0) {
				throw new RestError(400, 'WRONG_REQUEST', "You don't have access or user already member in chat");
			}
			chat.userIds.push(...newcomers);
		}
		return { result: true };
	}

	/** im.chat.user.list: the member IDs of a chat the caller is in; an empty list otherwise. */
	function chatUserList(rawParams: Record<string, unknown>, context: CallContext): MethodSuccess {
		const params = upperCaseKeys(rawParams);
		const chatId = intval(params.CHAT_ID);
		if (chatId <= 0) throw new RestError(400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
		const chat = chats.chats.get(chatId);
		if (!chat || !chat.userIds.includes(callerOf(context))) return { result: [] };
		return { result: [...chat.userIds] };
	}

	return [
		['im.message.update', { scope: 'im', handler: update }],
		['im.message.delete', { scope: 'im', handler: remove }],
		['im.message.like', { scope: 'im', handler: like }],
		['im.dialog.messages.get', { scope: 'im', handler: history }],
		['im.notify.personal.add', { scope: 'im', handler: notify('personal') }],
		['im.notify.system.add', { scope: 'im', handler: notify('system') }],
		['im.chat.add', { scope: 'im', handler: chatAdd }],
		['im.dialog.get', { scope: 'im', handler: dialogGet }],
		['im.chat.user.add', { scope: 'im', handler: chatUserAdd }],
		['im.chat.user.list', { scope: 'im', handler: chatUserList }],
	];
}

/**
 * The new text as CIMMessenger::Update keeps it: over 20,000 (+6) characters it is cut to 20,000
 * and " (...)" is appended, without an error; then `[BR]` and `[br]` become line breaks and PHP's
 * trim() runs (which also strips NUL). An empty result deletes the message.
 */
export function editedText(raw: string): string {
	const cut =
		Array.from(raw).length > MAX_MESSAGE_LENGTH + 6 ? `${cutToCodePoints(raw, MAX_MESSAGE_LENGTH)} (...)` : raw;
	return phpTrim(cut.split('[BR]').join('\n').split('[br]').join('\n'));
}

type RichUpdate = { kind: 'keep' } | { kind: 'remove' } | { kind: 'set'; value: unknown };

/** ATTACH/KEYBOARD/MENU in an update: absent keeps, `N` or empty removes, anything else must be valid. */
function richUpdate(
	raw: unknown,
	isValid: (value: unknown) => boolean,
	name: 'ATTACH' | 'KEYBOARD' | 'MENU',
): RichUpdate {
	if (raw === undefined) return { kind: 'keep' };
	if (raw === 'N' || raw === '' || raw === null) return { kind: 'remove' };
	const parsed = readRichParam(raw, isValid);
	if (!parsed.given) return { kind: 'remove' };
	if (!parsed.valid) throw new RestError(400, `${name}_ERROR`, `Incorrect ${name.toLowerCase()} params`);
	if (JSON.stringify(parsed.value).length > MAX_ATTACH_LENGTH) {
		throw new RestError(
			400,
			`${name}_OVERSIZE`,
			`You have exceeded the maximum allowable size of ${name.toLowerCase()}`,
		);
	}
	return { kind: 'set', value: parsed.value };
}

/** A message's params as im.dialog.messages.get shows them; null when there are none. */
function paramsOf(message: StoredMessage): Record<string, unknown> | null {
	const params: Record<string, unknown> = {};
	if (message.attach !== undefined) params.ATTACH = message.attach;
	if (message.keyboard !== undefined) params.KEYBOARD = message.keyboard;
	if (message.edited) params.IS_EDITED = 'Y';
	if (message.deleted) params.IS_DELETED = 'Y';
	if (message.likes && message.likes.length > 0) params.LIKE = message.likes;
	return Object.keys(params).length > 0 ? params : null;
}
