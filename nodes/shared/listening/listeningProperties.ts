import type { INodeProperties } from 'n8n-workflow';

import { MIN_CHECK_EVERY_SECONDS } from './triggerParameters';

/**
 * The parameters both listening triggers show, by the names saved workflows carry (triggerParameters
 * reads them). What differs between the triggers (the default wait, the filters' wording) is
 * passed in; each trigger's own parameters, its Events among them, stay in its description.
 */

export function checkEveryProperty(defaultSeconds: number, description: string): INodeProperties {
	return {
		displayName: 'Check Every (Seconds)',
		name: 'checkEverySeconds',
		type: 'number',
		typeOptions: { minValue: MIN_CHECK_EVERY_SECONDS, numberPrecision: 0 },
		default: defaultSeconds,
		description,
	};
}

/** The Filters collection; Dialog IDs and Text Contains are in both, each trigger adds its own. */
export function filtersProperty(options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options,
	};
}

export function textContainsFilter(description: string): INodeProperties {
	return {
		displayName: 'Text Contains',
		name: 'textContains',
		type: 'string',
		default: '',
		placeholder: 'urgent',
		description,
	};
}
