/**
 * A trigger's event names (the node's contract, saved in workflows) and the Bitrix24 event type
 * behind each: `{ messageAdd: 'ONIMV2MESSAGEADD', … }`, read both ways.
 */
export interface EventTypeTable<T extends string> {
	/** Whether a chosen value (from the Events parameter) is one of the trigger's events. */
	isEvent(value: unknown): value is T;
	/** The trigger's event for a Bitrix24 event type; undefined for a type it does not emit. */
	eventOf(bitrix24Type: unknown): T | undefined;
}

export function eventTypeTable<T extends string>(bitrix24TypeOf: Readonly<Record<T, string>>): EventTypeTable<T> {
	const eventByBitrix24Type = new Map<string, T>(
		(Object.entries(bitrix24TypeOf) as Array<[T, string]>).map(([event, type]) => [type, event]),
	);
	return {
		isEvent: (value: unknown): value is T =>
			typeof value === 'string' && Object.prototype.hasOwnProperty.call(bitrix24TypeOf, value),
		// Bitrix24 may add event types; those are not ours to emit.
		eventOf: (bitrix24Type) =>
			typeof bitrix24Type === 'string' ? eventByBitrix24Type.get(bitrix24Type.toUpperCase()) : undefined,
	};
}
