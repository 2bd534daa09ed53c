import type { INodeProperties } from 'n8n-workflow';

export const USER_ID_PATTERN = '^[1-9]\\d*$';

type UserLocatorOptions = Pick<INodeProperties, 'name' | 'displayName' | 'description'>;

/** The person picker's modes: recent people from the chat list, or a user ID typed in. */
function userLocator({ name, displayName, description }: UserLocatorOptions): INodeProperties {
	return {
		displayName,
		name,
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		description,
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
					{
						type: 'regex',
						properties: { regex: USER_ID_PATTERN, errorMessage: `${displayName}: use a user ID such as 123` },
					},
				],
			},
		],
	};
}

/** A person picker for one person. */
export function userIdProperty(show: Record<string, string[]>, description: string): INodeProperties {
	return {
		...userLocator({ name: 'userId', displayName: 'User', description }),
		required: true,
		displayOptions: { show },
	};
}

/** The same picker inside a collection (e.g. Additional Fields → Owner). */
export function optionalUserProperty(name: string, displayName: string, description: string): INodeProperties {
	return userLocator({ name, displayName, description });
}

/**
 * Several people: one person picker per entry (n8n's way to repeat a picker is a fixed collection
 * with multiple values). One entry may also hold a list from an expression, e.g.
 * {{ $json.userIds }}, or comma-separated IDs.
 */
export function usersProperty(show: Record<string, string[]>, description: string, required: boolean): INodeProperties {
	return {
		displayName: 'Users',
		name: 'users',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Person',
		default: {},
		required,
		description,
		displayOptions: { show },
		options: [
			{
				displayName: 'Person',
				name: 'user',
				values: [
					{
						...userLocator({
							name: 'userId',
							displayName: 'User',
							description: 'A person, or from an expression a list of user IDs',
						}),
					},
				],
			},
		],
	};
}
