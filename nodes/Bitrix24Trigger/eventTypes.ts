/** The trigger's event names (the node's contract) and the Bitrix24 event type behind each. */
export const TRIGGER_EVENTS = {
	messageAdd: 'ONIMV2MESSAGEADD',
	messageUpdate: 'ONIMV2MESSAGEUPDATE',
	messageDelete: 'ONIMV2MESSAGEDELETE',
	reactionChange: 'ONIMV2REACTIONCHANGE',
	joinChat: 'ONIMV2JOINCHAT',
} as const;

export type TriggerEvent = keyof typeof TRIGGER_EVENTS;

const EVENT_BY_BITRIX24_TYPE = new Map<string, TriggerEvent>(
	Object.entries(TRIGGER_EVENTS).map(([event, type]) => [type, event as TriggerEvent]),
);

export function isTriggerEvent(value: unknown): value is TriggerEvent {
	return typeof value === 'string' && Object.prototype.hasOwnProperty.call(TRIGGER_EVENTS, value);
}

/** Bitrix24 may add event types; those are not ours to emit. */
export function triggerEventOf(bitrix24Type: unknown): TriggerEvent | undefined {
	return typeof bitrix24Type === 'string' ? EVENT_BY_BITRIX24_TYPE.get(bitrix24Type.toUpperCase()) : undefined;
}

/** Events about a message someone wrote: the ones "own" and "system" filters apply to. */
export const MESSAGE_AUTHORED_EVENTS: ReadonlySet<TriggerEvent> = new Set([
	'messageAdd',
	'messageUpdate',
	'messageDelete',
	'reactionChange',
]);
export const MESSAGE_TEXT_EVENTS: ReadonlySet<TriggerEvent> = new Set([
	'messageAdd',
	'messageUpdate',
	'reactionChange',
]);
