import { eventTypeTable } from '../shared/listening/eventTypeTable';

/** The trigger's event names (the node's contract) and the Bitrix24 event type behind each. */
export const TRIGGER_EVENTS = {
	messageAdd: 'ONIMV2MESSAGEADD',
	messageUpdate: 'ONIMV2MESSAGEUPDATE',
	messageDelete: 'ONIMV2MESSAGEDELETE',
	reactionChange: 'ONIMV2REACTIONCHANGE',
	joinChat: 'ONIMV2JOINCHAT',
} as const;

export type TriggerEvent = keyof typeof TRIGGER_EVENTS;

export const triggerEvents = eventTypeTable<TriggerEvent>(TRIGGER_EVENTS);

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
