/** im.v2.Event.subscribe / get / unsubscribe over the per-user event log (scope im). */
import { DEFAULT_EVENTS_PER_GET, MAX_EVENTS_PER_GET, type EventLog } from './eventLog';
import type { CallContext, MethodDefinition } from './methods';

/** The calling user: the webhook's owner, or the user the OAuth token was issued to. */
function callerOf(context: CallContext): number {
	return context.userId ?? 1;
}

/** PHP intval() of a JSON number or a form/query string. */
function intval(value: unknown): number | undefined {
	if (typeof value === 'number' && Number.isFinite(value)) return Math.trunc(value);
	if (typeof value === 'string' && /^\s*-?\d+/.test(value)) return Number.parseInt(value, 10);
	return undefined;
}

export function createEventMethods(log: EventLog): Array<[string, MethodDefinition]> {
	return [
		[
			'im.v2.Event.subscribe',
			{
				scope: 'im',
				handler: (_params, context) => {
					log.subscribe(callerOf(context));
					return { result: true };
				},
			},
		],
		[
			'im.v2.Event.unsubscribe',
			{
				scope: 'im',
				handler: (_params, context) => {
					log.unsubscribe(callerOf(context));
					return { result: true };
				},
			},
		],
		[
			'im.v2.Event.get',
			{
				scope: 'im',
				handler: (params, context) => {
					const offset = intval(params.offset);
					const requested = intval(params.limit);
					// Out-of-range limits are clamped to the documented 1–1000.
					const limit =
						requested === undefined ? DEFAULT_EVENTS_PER_GET : Math.min(MAX_EVENTS_PER_GET, Math.max(1, requested));
					return { result: log.get(callerOf(context), offset, limit) };
				},
			},
		],
	];
}
