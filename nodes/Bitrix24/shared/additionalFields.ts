import type { INodeProperties } from 'n8n-workflow';

/**
 * An operation's Additional Fields collection. n8n's lint checks that a collection written out as a
 * literal lists its options by display name; it cannot see options passed in here, so they are
 * sorted here.
 */
export function additionalFieldsProperty(show: Record<string, string[]>, options: INodeProperties[]): INodeProperties {
	return {
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: [...options].sort((first, second) => first.displayName.localeCompare(second.displayName, 'en')),
	};
}
