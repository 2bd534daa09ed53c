import type { INodeProperties } from 'n8n-workflow';
import { authenticationProperty } from '../Bitrix24/shared/authenticationDescription';
import { checkEveryProperty, filtersProperty, textContainsFilter } from '../shared/listening/listeningProperties';
import { DEFAULT_CHECK_EVERY_SECONDS } from './settings';

/** The Events choices; the canvas subtitle shows their names, not their values. */
export const EVENT_OPTIONS = [
	{ name: 'Message Added', value: 'messageAdd', description: 'A new message in a chat the user belongs to' },
	{ name: 'Message Deleted', value: 'messageDelete', description: 'A message was deleted' },
	{ name: 'Message Edited', value: 'messageUpdate', description: 'A message was edited' },
	{ name: 'Person Added to Chat', value: 'joinChat', description: 'Someone was added to a group chat' },
	{
		name: 'Reaction Changed',
		value: 'reactionChange',
		description: 'A reaction to a message was added or removed',
	},
];

/**
 * The canvas subtitle: the chosen events by their display names ("Message Added, Message
 * Edited"), an unknown value (from an expression) as it is.
 */
export const EVENTS_SUBTITLE = `={{ [].concat($parameter["events"] || []).map(event => (${JSON.stringify(
	Object.fromEntries(EVENT_OPTIONS.map((option) => [option.value, option.name])),
)})[event] || event).join(", ") }}`;

export const triggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			"One reader per Bitrix24 user: Bitrix24 hands each user's chat events to a single consumer, so a second active Bitrix24 Trigger for the same user does not activate (and another app reading the same user takes events away). For a second workflow, create a webhook for a second Bitrix24 user. The trigger sees the chats of the credential's user and, unless told otherwise, skips that user's own messages and system messages.",
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
		options: EVENT_OPTIONS,
		description: 'Which chat events start the workflow',
	},
	checkEveryProperty(
		DEFAULT_CHECK_EVERY_SECONDS,
		'How long to wait after Bitrix24 had no new event before asking again. A message is answered within about this long; each check is one request (at 5 s: 0.2 requests/s, a tenth of the Standard plan). While events keep coming the trigger reads again after 2 s.',
	),
	filtersProperty([
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
		textContainsFilter(
			'Only events whose message text contains this, ignoring case. Deletions and added people carry no text, so they never match.',
		),
	]),
];
