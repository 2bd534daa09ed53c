/**
 * What a keyboard button or a context-menu item does when clicked. Both share the Bitrix24
 * fields: LINK, COMMAND (+COMMAND_PARAMS) or ACTION + ACTION_VALUE (PUT, SEND, COPY, CALL, DIALOG).
 */
import type { IDataObject, IDisplayOptions, INodeProperties } from 'n8n-workflow';
import { BuilderInputError, readText, requireLink, requireText } from './builderValues';

export type ButtonAction = 'call' | 'command' | 'copy' | 'dialog' | 'link' | 'put' | 'send';

const ACTION_VALUE_LABELS: Record<Exclude<ButtonAction, 'command' | 'link'>, string> = {
	call: 'phone number',
	copy: 'text to copy',
	dialog: 'chat ID',
	put: 'text to insert',
	send: 'text to send',
};

/**
 * The fields of one button or menu item, in the order a person fills them: the label, what it
 * does, with what (and, for a Command only, its parameters and `commandOnly`); then the rest,
 * in an Options collection.
 */
export function clickableEntryValues(
	labelDescription: string,
	options: INodeProperties[],
	commandOnly: INodeProperties[] = [],
): INodeProperties[] {
	return [
		{
			displayName: 'Text',
			name: 'text',
			type: 'string',
			default: '',
			required: true,
			description: labelDescription,
		},
		...buttonActionProperties(),
		commandParamsProperty,
		...commandOnly,
		...(options.length > 0
			? [
					{
						displayName: 'Options',
						name: 'options',
						type: 'collection' as const,
						placeholder: 'Add Option',
						default: {},
						options,
					},
				]
			: []),
	];
}

/**
 * The action selector and the one field its action needs, in the order a person fills them:
 * what happens, then with what. Each value field is required for its action, so the editor
 * marks an empty one before the workflow runs. `shownWhen` is the displayOptions.show of the
 * entry they live in, if any.
 */
export function buttonActionProperties(shownWhen: NonNullable<IDisplayOptions['show']> = {}): INodeProperties[] {
	const showFor = (actions: ButtonAction[]): IDisplayOptions => ({ show: { ...shownWhen, clickAction: actions } });
	return [
		{
			displayName: 'Action',
			name: 'clickAction',
			type: 'options',
			default: 'link',
			description: 'What happens when it is clicked',
			...(Object.keys(shownWhen).length > 0 ? { displayOptions: { show: shownWhen } } : {}),
			options: [
				{ name: 'Call a Phone Number', value: 'call', description: 'Start a call to a number' },
				{
					name: 'Command for a Chat Bot',
					value: 'command',
					description:
						'Send a registered command to the bot that posted the message (only works for messages sent by a bot)',
				},
				{ name: 'Copy Text', value: 'copy', description: 'Copy text to the clipboard' },
				{ name: 'Insert Text', value: 'put', description: "Put text into the user's message box without sending it" },
				{ name: 'Open a Chat', value: 'dialog', description: 'Open another chat or a private chat with a user' },
				{ name: 'Open a Link', value: 'link', description: 'Open a web page or a page of your Bitrix24' },
				{ name: 'Send Text', value: 'send', description: 'Send text to the chat on behalf of the user who clicked' },
			],
		},
		{
			displayName: 'URL',
			name: 'url',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://example.com/',
			description: 'Link to open. Must start with http://, https:// or / (a page of your Bitrix24).',
			displayOptions: showFor(['link']),
		},
		{
			displayName: 'Command',
			name: 'command',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'help',
			description: 'Command registered by your chat bot (without the slash)',
			displayOptions: showFor(['command']),
		},
		{
			displayName: 'Value',
			name: 'actionValue',
			type: 'string',
			default: '',
			required: true,
			description:
				'Insert Text, Send Text, Copy Text: the text. Call a Phone Number: the number in international format (+15551234567). Open a Chat: chat123 for a group chat or a user ID for a private chat.',
			displayOptions: showFor(['call', 'copy', 'dialog', 'put', 'send']),
		},
	];
}

/**
 * The optional part of a Command action, right under the Command and shown only for it (an
 * Options entry would be offered for every action, where it leads nowhere).
 */
const commandParamsProperty: INodeProperties = {
	displayName: 'Command Parameters',
	name: 'commandParams',
	type: 'string',
	default: '',
	description: 'Text passed to the bot together with the command',
	displayOptions: { show: { clickAction: ['command'] } },
};

/** A keyboard button's command can be made one-shot (BLOCK = Y); a menu item's cannot. */
export const disableAfterClickProperty: INodeProperties = {
	displayName: 'Disable After Click',
	name: 'blockAfterClick',
	type: 'boolean',
	default: false,
	description: 'Whether the button stops working once clicked',
	displayOptions: { show: { clickAction: ['command'] } },
};

/** The Bitrix24 action fields for one button or menu item. */
export function buildActionFields(values: IDataObject, where: string): Record<string, string> {
	const action = (readText(values, 'clickAction') ?? 'link') as ButtonAction;
	switch (action) {
		case 'link':
			return { LINK: requireLink(values, 'url', where, 'URL') };
		case 'command': {
			const fields: Record<string, string> = { COMMAND: requireText(values, 'command', where, 'Command') };
			const params = readText(values, 'commandParams');
			if (params !== undefined) fields.COMMAND_PARAMS = params;
			return fields;
		}
		case 'call':
		case 'copy':
		case 'dialog':
		case 'put':
		case 'send':
			return {
				ACTION: action.toUpperCase(),
				ACTION_VALUE: requireText(values, 'actionValue', where, `Value (${ACTION_VALUE_LABELS[action]})`),
			};
		default:
			throw new BuilderInputError(`${where}: unknown action "${String(action)}"`);
	}
}
