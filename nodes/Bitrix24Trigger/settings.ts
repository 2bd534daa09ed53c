import type { ITriggerFunctions } from 'n8n-workflow';

import { readFilters, readListeningSettings } from '../shared/listening/triggerParameters';
import type { ListeningSettings } from '../shared/listening/triggerParameters';
import { triggerEvents } from './eventTypes';
import type { TriggerEvent } from './eventTypes';

export interface TriggerSettings extends ListeningSettings<TriggerEvent> {
	ignoreOwnMessages: boolean;
	ignoreSystemMessages: boolean;
}

export const DEFAULT_CHECK_EVERY_SECONDS = 5;

/**
 * Reads and checks the trigger's parameters before any request: a wrong value fails with the
 * field's name instead of a poll that silently never fires.
 */
export function readTriggerSettings(context: Pick<ITriggerFunctions, 'getNode' | 'getNodeParameter'>): TriggerSettings {
	const shared = readListeningSettings(context, triggerEvents, DEFAULT_CHECK_EVERY_SECONDS);
	const filters = readFilters(context);
	return {
		...shared,
		// Both default to on when the filter was never added to the collection.
		ignoreOwnMessages: filters.ignoreOwnMessages !== false,
		ignoreSystemMessages: filters.ignoreSystemMessages !== false,
	};
}
