import type { INodeProperties } from 'n8n-workflow';

export const USER_ID_PATTERN = '^[1-9]\\d*$';

/** A person picker: recent people from the chat list, or a user ID typed in. */
export function userIdProperty(show: Record<string, string[]>, description: string): INodeProperties {
	return {
		displayName: 'User',
		name: 'userId',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description,
		displayOptions: { show },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				placeholder: 'Select a person…',
				typeOptions: { searchListMethod: 'searchUsers', searchable: true, searchFilterRequired: false },
			},
			{
				displayName: 'By ID',
				name: 'id',
				type: 'string',
				placeholder: '123',
				hint: 'The Bitrix24 user ID, a positive whole number',
				validation: [
					{ type: 'regex', properties: { regex: USER_ID_PATTERN, errorMessage: 'User: use a user ID such as 123' } },
				],
			},
		],
	};
}
