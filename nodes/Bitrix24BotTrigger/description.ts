import type { INodeProperties } from 'n8n-workflow';

import { authenticationProperty } from '../Bitrix24/shared/authenticationDescription';
import { BOT_CODE_PATTERN } from '../Bitrix24/shared/botField';
import { checkEveryProperty, filtersProperty, textContainsFilter } from '../shared/listening/listeningProperties';
import { BOT_COLORS, DEFAULT_BOT_CHECK_EVERY_SECONDS } from './botSettings';

function titleCase(code: string): string {
	return code
		.toLowerCase()
		.split('_')
		.map((word) => word.charAt(0).toUpperCase() + word.slice(1))
		.join(' ');
}

export const botTriggerProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName:
			'On activation the trigger registers the bot under its Bot Code, or updates the bot already registered with that code (name, job title, colour, missing commands). It never deletes a bot. Through a webhook the credential needs a Bot Token. One active trigger per bot.',
		name: 'registrationNotice',
		type: 'notice',
		default: '',
	},
	{
		displayName: 'Bot Code',
		name: 'botCode',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'support_bot',
		description:
			"The bot's permanent identity in the portal: the same code finds the same bot again, with its chats and history. Letters, digits and _ only.",
		hint: `Pattern: ${BOT_CODE_PATTERN}`,
	},
	{
		displayName: 'Bot Name',
		name: 'botName',
		type: 'string',
		default: '',
		placeholder: 'Support Assistant',
		description: 'The name people see in chats. Empty: the Bot Code.',
	},
	{
		displayName: 'Bot Type',
		name: 'botType',
		type: 'options',
		default: 'bot',
		options: [
			{
				name: 'Bot',
				value: 'bot',
				description: 'Sees its private dialogs, and group messages that mention it',
			},
			{
				name: 'Supervisor',
				value: 'supervisor',
				description: 'Sees every message of the group chats it is in, and its private dialogs',
			},
			{
				name: 'Personal',
				value: 'personal',
				description: 'Like Supervisor, for a personal assistant',
			},
		],
		description: 'Which messages the bot receives. Bitrix24 cannot change the type of a registered bot.',
	},
	{
		displayName: 'Bot Color',
		name: 'botColor',
		type: 'options',
		default: '',
		options: [{ name: 'Default', value: '' }, ...BOT_COLORS.map((color) => ({ name: titleCase(color), value: color }))],
		description: "The colour of the bot's avatar placeholder",
	},
	{
		displayName: 'Bot Work Position',
		name: 'botWorkPosition',
		type: 'string',
		default: '',
		placeholder: 'AI assistant',
		description: 'The job title shown under the name',
	},
	{
		displayName: 'Commands',
		name: 'commands',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Command',
		default: {},
		description:
			'Slash commands the bot offers. Missing ones are registered on activation; command buttons in bot messages need their command registered here.',
		options: [
			{
				displayName: 'Command',
				name: 'command',
				values: [
					{
						displayName: 'Command',
						name: 'command',
						type: 'string',
						default: '',
						placeholder: 'help',
						description: 'Without the slash: letters, digits, _ or -',
					},
					{
						displayName: 'Title',
						name: 'title',
						type: 'string',
						default: '',
						placeholder: 'Show what I can do',
						description: 'Shown in the command list (not needed for a hidden command)',
					},
					{
						displayName: 'Params',
						name: 'params',
						type: 'string',
						default: '',
						placeholder: 'topic',
						description: 'What may follow the command, shown as a hint',
					},
					{
						displayName: 'Hidden',
						name: 'hidden',
						type: 'boolean',
						default: false,
						description: 'Whether the command is left out of the list (for buttons only)',
					},
				],
			},
		],
	},
	{
		displayName: 'Events',
		name: 'events',
		type: 'multiOptions',
		required: true,
		default: ['messageAdd', 'commandAdd'],
		options: [
			{
				name: 'Bot Added to Chat',
				value: 'joinChat',
				description: 'Someone added the bot to a group chat',
			},
			{
				name: 'Command',
				value: 'commandAdd',
				description: 'A command, typed or from a keyboard or menu button',
			},
			{ name: 'Message Added', value: 'messageAdd', description: 'A new message the bot can see' },
			{ name: 'Message Deleted', value: 'messageDelete', description: 'A message was deleted' },
			{ name: 'Message Edited', value: 'messageUpdate', description: 'A message was edited' },
			{
				name: 'Reaction Changed',
				value: 'reactionChange',
				description: "A reaction to one of the bot's messages was added or removed",
			},
		],
		description: 'Which bot events start the workflow',
	},
	checkEveryProperty(
		DEFAULT_BOT_CHECK_EVERY_SECONDS,
		'How long to wait after Bitrix24 had no new event before asking again: a message is answered within about this long. Each check is one bot request (Bitrix24 allows bots 2 per second per application).',
	),
	filtersProperty([
		{
			displayName: 'Dialog IDs',
			name: 'dialogIds',
			type: 'string',
			default: '',
			placeholder: 'chat5, 12',
			description:
				"Only events from these dialogs, as the bot sees them: a person's user ID for a private dialog with the bot, chat123 for a group chat; comma-separated",
		},
		{
			displayName: 'Ignore Bots',
			name: 'ignoreBots',
			type: 'boolean',
			default: true,
			description:
				"Whether to skip what bots do: this bot's own messages, and other bots' (so two bots cannot answer each other forever). On unless set to off.",
		},
		textContainsFilter(
			'Only messages and commands whose text contains this, ignoring case. Deletions, reactions and joins carry no text, so they never match.',
		),
	]),
];
