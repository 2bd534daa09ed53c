import type { IDataObject } from 'n8n-workflow';

import { MESSAGE_AUTHORED_EVENTS, MESSAGE_TEXT_EVENTS, triggerEvents } from './eventTypes';
import type { TriggerEvent } from './eventTypes';
import type { TriggerSettings } from './settings';
import { numberOrNull as numberOf, objectOf, textOrNull as textOf } from '../Bitrix24/shared/jsonValue';
import type { RawEvent } from '../shared/listening/eventQueue';
import { passesListeningFilters } from '../shared/listening/triggerParameters';

/** The flat item the trigger outputs: ready for expressions such as {{ $json.dialogId }}. */
export interface TriggerItem extends IDataObject {
	event: TriggerEvent;
	eventId: number | null;
	date: string | null;
	/** Where to answer: pass it to the Bitrix24 node's Send as Dialog. */
	dialogId: string | null;
	chatId: number | null;
	chatTitle: string | null;
	messageId: number | null;
	text: string;
	/** Who did it: the message's author, the person who reacted, or the person added. */
	authorId: number | null;
	authorName: string | null;
	/** The event's data exactly as Bitrix24 sent it. */
	raw: IDataObject;
}

/**
 * The dialog to answer in. In a group chat that is the chat's dialogId (chat5). A private chat's
 * dialog, seen from the credential's user, is the other person's user ID: the event's chat object
 * is the same for both participants, so the other person is taken from who acted.
 */
function dialogIdOf(
	chat: IDataObject,
	actorId: number | null,
	ownUserId: number,
	joinDialogId: unknown,
): string | null {
	const explicit = textOf(joinDialogId);
	if (explicit) return explicit;
	const isPrivate = chat.messageType === 'P' || chat.type === 'private';
	const chatDialogId = textOf(chat.dialogId);
	if (isPrivate) {
		if (actorId !== null && actorId > 0 && actorId !== ownUserId) return String(actorId);
		return chatDialogId && chatDialogId !== String(ownUserId) ? chatDialogId : null;
	}
	if (chatDialogId) return chatDialogId;
	const chatId = numberOf(chat.id);
	return chatId !== null ? `chat${chatId}` : null;
}

/** Undefined for an event type this trigger does not know. */
export function flattenEvent(event: RawEvent, ownUserId: number): TriggerItem | undefined {
	const kind = triggerEvents.eventOf(event.type);
	if (!kind) return undefined;
	const data = objectOf(event.data);
	const message = objectOf(data.message);
	const chat = objectOf(data.chat);
	const user = objectOf(data.user);
	const userId = numberOf(user.id);

	const isMessage = kind === 'messageAdd' || kind === 'messageUpdate';
	const authorId = isMessage ? (numberOf(message.authorId) ?? userId) : userId;
	const authorName = authorId !== null && authorId === userId ? textOf(user.name) : null;
	const messageId = kind === 'messageDelete' ? numberOf(data.messageId) : numberOf(message.id);
	return {
		event: kind,
		eventId: numberOf(event.eventId),
		date: textOf(event.date) ?? textOf(message.date),
		dialogId: dialogIdOf(chat, authorId, ownUserId, kind === 'joinChat' ? data.dialogId : undefined),
		chatId: numberOf(chat.id) ?? numberOf(message.chatId),
		chatTitle: textOf(chat.name),
		messageId,
		text: MESSAGE_TEXT_EVENTS.has(kind) ? (textOf(message.text) ?? '') : '',
		authorId,
		authorName,
		raw: data,
	};
}

function isSystemMessage(item: TriggerItem): boolean {
	const message = objectOf(item.raw.message);
	return message.isSystem === true || message.isSystem === 'Y' || item.authorId === 0;
}

/** Whether an item passes the user's event choice and filters. */
export function passesFilters(item: TriggerItem, settings: TriggerSettings, ownUserId: number): boolean {
	if (!passesListeningFilters(item, settings)) return false;
	if (settings.ignoreOwnMessages && MESSAGE_AUTHORED_EVENTS.has(item.event) && item.authorId === ownUserId)
		return false;
	if (
		settings.ignoreSystemMessages &&
		(item.event === 'messageAdd' || item.event === 'messageUpdate') &&
		isSystemMessage(item)
	) {
		return false;
	}
	return true;
}

/** The flat item for an event, or undefined when the event type or the filters rule it out. */
export function matchingItem(event: RawEvent, settings: TriggerSettings, ownUserId: number): TriggerItem | undefined {
	const item = flattenEvent(event, ownUserId);
	return item && passesFilters(item, settings, ownUserId) ? item : undefined;
}
