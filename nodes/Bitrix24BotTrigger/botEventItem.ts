import type { IDataObject } from 'n8n-workflow';

import { numberOrNull as numberOf, objectOf, textOrNull as textOf } from '../Bitrix24/shared/jsonValue';
import type { RawEvent } from '../shared/listening/eventQueue';
import { passesListeningFilters } from '../shared/listening/triggerParameters';
import { BOT_TEXT_EVENTS, botTriggerEvents } from './botEventTypes';
import type { BotTriggerEvent } from './botEventTypes';
import type { BotTriggerSettings } from './botSettings';

export type CommandContext = 'textarea' | 'keyboard' | 'menu';

/** The flat item the Bot Trigger outputs: ready for expressions such as {{ $json.dialogId }}. */
export interface BotTriggerItem extends IDataObject {
	event: BotTriggerEvent;
	eventId: number | null;
	date: string | null;
	botId: number | null;
	botCode: string | null;
	/** Where to answer: pass it to the Chat Bot operations' Dialog ID. */
	dialogId: string | null;
	chatId: number | null;
	/** `private` for a person's dialog with the bot, otherwise the group chat's type (`chat`, `open`…). */
	chatType: string | null;
	messageId: number | null;
	text: string;
	/** Who did it: the message's author, the person who pressed, reacted, deleted or added the bot. */
	authorId: number | null;
	authorName: string | null;
	/** The command without the slash (`help`), for commandAdd only. */
	command: string | null;
	commandParams: string | null;
	commandContext: CommandContext | null;
	/** The event's data exactly as Bitrix24 sent it. */
	raw: IDataObject;
}

function commandContextOf(value: unknown): CommandContext | null {
	return value === 'textarea' || value === 'keyboard' || value === 'menu' ? value : null;
}

/**
 * The chat's type. Bitrix24 names private dialogs by `messageType` P (and the fake portal, as some
 * answers do, by type `private`); group chats carry their own type.
 */
function chatTypeOf(chat: IDataObject): string | null {
	if (chat.messageType === 'P' || chat.type === 'private') return 'private';
	return textOf(chat.type);
}

/** Undefined for an event type this trigger does not know. */
export function flattenBotEvent(event: RawEvent): BotTriggerItem | undefined {
	const kind = botTriggerEvents.eventOf(event.type);
	if (!kind) return undefined;
	const data = objectOf(event.data);
	const bot = objectOf(data.bot);
	const message = objectOf(data.message);
	const chat = objectOf(data.chat);
	const user = objectOf(data.user);
	const command = objectOf(data.command);
	const userId = numberOf(user.id);

	// Seen from the bot, a private dialog is named by the other person (CB2 events): ready to answer in.
	const chatId = numberOf(chat.id) ?? numberOf(message.chatId);
	const dialogId = textOf(chat.dialogId) ?? textOf(data.dialogId) ?? (chatId !== null ? `chat${chatId}` : null);
	// A command's actor is whoever issued it: a pressed button sits on the bot's own message.
	const isMessage = kind === 'messageAdd' || kind === 'messageUpdate';
	const authorId = isMessage ? (numberOf(message.authorId) ?? userId) : (userId ?? numberOf(message.authorId));
	const isCommand = kind === 'commandAdd';
	return {
		event: kind,
		eventId: numberOf(event.eventId),
		date: textOf(event.date) ?? textOf(message.date),
		botId: numberOf(bot.id),
		botCode: textOf(bot.code),
		dialogId,
		chatId,
		chatType: chatTypeOf(chat),
		messageId: kind === 'messageDelete' ? (numberOf(data.messageId) ?? numberOf(message.id)) : numberOf(message.id),
		text: BOT_TEXT_EVENTS.has(kind) ? (textOf(message.text) ?? '') : '',
		authorId,
		authorName: authorId !== null && authorId === userId ? textOf(user.name) : null,
		command: isCommand ? (textOf(command.command)?.replace(/^\//, '') ?? null) : null,
		commandParams: isCommand ? (textOf(command.params) ?? '') : null,
		commandContext: isCommand ? commandContextOf(command.context) : null,
		raw: data,
	};
}

/**
 * Whether a bot did it: this bot itself, or another one (User.bot, or type bot). Skipping both
 * keeps a bot from answering its own replies and two bots from answering each other forever.
 */
function actedByABot(item: BotTriggerItem): boolean {
	const user = objectOf(item.raw.user);
	if (item.authorId !== null && item.authorId === item.botId) return true;
	const actorIsUser = item.authorId === null || item.authorId === numberOf(user.id);
	return actorIsUser && (user.bot === true || user.bot === 'Y' || user.type === 'bot');
}

/** Whether an item passes the user's event choice and filters. */
export function passesBotFilters(item: BotTriggerItem, settings: BotTriggerSettings): boolean {
	return passesListeningFilters(item, settings) && !(settings.ignoreBots && actedByABot(item));
}

/** The flat item for an event, or undefined when the event type or the filters rule it out. */
export function matchingBotItem(event: RawEvent, settings: BotTriggerSettings): BotTriggerItem | undefined {
	const item = flattenBotEvent(event);
	return item && passesBotFilters(item, settings) ? item : undefined;
}
