/** The Bot Trigger's event names (the node's contract) and the Bitrix24 event type behind each. */
export const BOT_TRIGGER_EVENTS = {
	messageAdd: 'ONIMBOTV2MESSAGEADD',
	commandAdd: 'ONIMBOTV2COMMANDADD',
	joinChat: 'ONIMBOTV2JOINCHAT',
	reactionChange: 'ONIMBOTV2REACTIONCHANGE',
	messageUpdate: 'ONIMBOTV2MESSAGEUPDATE',
	messageDelete: 'ONIMBOTV2MESSAGEDELETE',
} as const;

export type BotTriggerEvent = keyof typeof BOT_TRIGGER_EVENTS;

const EVENT_BY_BITRIX24_TYPE = new Map<string, BotTriggerEvent>(
	Object.entries(BOT_TRIGGER_EVENTS).map(([event, type]) => [type, event as BotTriggerEvent]),
);

export function isBotTriggerEvent(value: unknown): value is BotTriggerEvent {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(BOT_TRIGGER_EVENTS, value);
}

/** Bitrix24 may add event types (ONIMBOTV2CONTEXTGET, ONIMBOTV2DELETE); those are not emitted. */
export function botTriggerEventOf(bitrix24Type: unknown): BotTriggerEvent | undefined {
	return typeof bitrix24Type === 'string' ? EVENT_BY_BITRIX24_TYPE.get(bitrix24Type.toUpperCase()) : undefined;
}

/** Events whose item carries the message's text (textContains looks there). */
export const BOT_TEXT_EVENTS: ReadonlySet<BotTriggerEvent> = new Set(['messageAdd', 'messageUpdate', 'commandAdd']);
