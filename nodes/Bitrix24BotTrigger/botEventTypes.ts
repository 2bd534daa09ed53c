import { eventTypeTable } from '../shared/listening/eventTypeTable';

/**
 * The Bot Trigger's event names (the node's contract) and the Bitrix24 event type behind each.
 * Bitrix24's other bot events (ONIMBOTV2CONTEXTGET, ONIMBOTV2DELETE) are not emitted.
 */
export const BOT_TRIGGER_EVENTS = {
	messageAdd: 'ONIMBOTV2MESSAGEADD',
	commandAdd: 'ONIMBOTV2COMMANDADD',
	joinChat: 'ONIMBOTV2JOINCHAT',
	reactionChange: 'ONIMBOTV2REACTIONCHANGE',
	messageUpdate: 'ONIMBOTV2MESSAGEUPDATE',
	messageDelete: 'ONIMBOTV2MESSAGEDELETE',
} as const;

export type BotTriggerEvent = keyof typeof BOT_TRIGGER_EVENTS;

export const botTriggerEvents = eventTypeTable<BotTriggerEvent>(BOT_TRIGGER_EVENTS);

/** Events whose item carries the message's text (textContains looks there). */
export const BOT_TEXT_EVENTS: ReadonlySet<BotTriggerEvent> = new Set(['messageAdd', 'messageUpdate', 'commandAdd']);
