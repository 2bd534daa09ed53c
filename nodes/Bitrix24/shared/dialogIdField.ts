import type { INodeProperties } from 'n8n-workflow';

import { DIALOG_ID_PATTERN } from './dialogId';
import { DIALOG_URL_REGEX } from './dialogUrl';

/** The Dialog field: pick from the recent chats, type an ID or paste a Bitrix24 link. */
export const dialogIdProperty: INodeProperties = {
	displayName: 'Dialog',
	name: 'dialogId',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	description:
		'Where to post: a user ID like 123 (private chat with that user), chat123 (group chat) or sg123 (workgroup/project chat)',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a chat or person…',
			typeOptions: {
				searchListMethod: 'searchDialogs',
				searchable: true,
				searchFilterRequired: false,
			},
		},
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'chat123',
			hint: 'A user ID (123) for a private chat, chat123 for a group chat, sg123 for a workgroup chat',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: DIALOG_ID_PATTERN,
						errorMessage: 'Dialog: use a user ID (123), chat123 or sg123',
					},
				},
			],
		},
		{
			// No extractValue: a workgroup link (/workgroups/group/5/) must become "sg5", which one
			// regex group cannot produce, so execute() reads the link with dialogIdFromUrl.
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://example.bitrix24.com/online/?IM_DIALOG=chat123',
			hint: 'A chat link (…?IM_DIALOG=chat123), a user profile (/company/personal/user/123/) or a workgroup (/workgroups/group/5/)',
			validation: [
				{
					type: 'regex',
					properties: {
						regex: DIALOG_URL_REGEX,
						errorMessage: 'Dialog: paste a Bitrix24 chat, user profile or workgroup link',
					},
				},
			],
		},
	],
};
