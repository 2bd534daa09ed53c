import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../Bitrix24/shared/authenticationDescription';

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			"One reader per Bitrix24 user: Bitrix24 hands each user's chat events to a single consumer, so two triggers (or apps) reading the same user take events from each other. Use one Bitrix24 Trigger per webhook user; for a second workflow, create a webhook for a second Bitrix24 user. The trigger sees the chats of the credential's user and, unless told otherwise, skips that user's own messages and system messages.",
		name: 'exclusivityNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['messageAdd'],
		options: [
			{ name: 'Message Added', value: 'messageAdd', description: 'A new message in a chat the user belongs to' },
			{ name: 'Message Deleted', value: 'messageDelete', description: 'A message was deleted' },
			{ name: 'Message Edited', value: 'messageUpdate', description: 'A message was edited' },
			{ name: 'Person Added to Chat', value: 'joinChat', description: 'Someone was added to a group chat' },
			{
				name: 'Reaction Changed',
				value: 'reactionChange',
				description: 'A reaction to a message was added or removed',
			},
		],
		description: 'Which chat events start the workflow',
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add Filter',
		default: {},
		options: [
			{
				displayName: 'Dialog Names or IDs',
				name: 'dialogIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getDialogs' },
				default: [],
				description:
					'Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
				hint: 'Only events from these chats. IDs: 123 (private chat with user 123), chat123, sg123; a list or a comma-separated text',
			},
			{
				displayName: 'Ignore Own Messages',
				name: 'ignoreOwnMessages',
				type: 'boolean',
				default: true,
				description:
					"Whether to skip messages, edits, deletions and reactions by the credential's own user, so a workflow that answers in the chat does not trigger itself. On unless set to off.",
			},
			{
				displayName: 'Ignore System Messages',
				name: 'ignoreSystemMessages',
				type: 'boolean',
				default: true,
				description: 'Whether to skip system messages (joins, renames, calls…). On unless set to off.',
			},
			{
				displayName: 'Text Contains',
				name: 'textContains',
				type: 'string',
				default: '',
				placeholder: 'urgent',
				description:
					'Only events whose message text contains this, ignoring case. Deletions and added people carry no text, so they never match.',
			},
		],
	},
];
