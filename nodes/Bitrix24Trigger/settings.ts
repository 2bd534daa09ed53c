import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import {
	MIN_CHECK_EVERY_SECONDS,
	readCheckEveryMs,
	readDialogIdsFilter,
	readEvents,
	readTextContainsFilter,
} from '../shared/listening/triggerParameters';
import { isTriggerEvent } from './eventTypes';
import type { TriggerEvent } from './eventTypes';

export interface TriggerSettings {
	events: ReadonlySet<TriggerEvent>;
	/** Undefined: every chat. */
	dialogIds?: ReadonlySet<string>;
	ignoreOwnMessages: boolean;
	ignoreSystemMessages: boolean;
	/** Lower-cased; undefined: no text filter. */
	textContains?: string;
	/** The wait after a read that brought nothing new. */
	checkEveryMs: number;
}

export { MIN_CHECK_EVERY_SECONDS };
export const DEFAULT_CHECK_EVERY_SECONDS = 5;

/**
 * Reads and checks the trigger's parameters before any request: a wrong value fails with the
 * field's name instead of a poll that silently never fires.
 */
export function readTriggerSettings(context: Pick<ITriggerFunctions, 'getNode' | 'getNodeParameter'>): TriggerSettings {
	const node = context.getNode();
	const events = readEvents(node, context.getNodeParameter('events', []), isTriggerEvent);
	const filters = (context.getNodeParameter('filters', {}) ?? {}) as IDataObject;
	return {
		events,
		dialogIds: readDialogIdsFilter(node, filters),
		// Both default to on when the filter was never added to the collection.
		ignoreOwnMessages: filters.ignoreOwnMessages !== false,
		ignoreSystemMessages: filters.ignoreSystemMessages !== false,
		textContains: readTextContainsFilter(node, filters),
		checkEveryMs: readCheckEveryMs(node, context.getNodeParameter('checkEverySeconds', DEFAULT_CHECK_EVERY_SECONDS)),
	};
}
