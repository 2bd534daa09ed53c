import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidInput, readOptionalUserId, readPeople } from '../shared/itemInput';
import { optionalUserProperty, usersProperty } from '../shared/userIdField';
import { runOneCallPerItem, UnexpectedResultError } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { readTextParameter, textOf } from '../shared/textValue';
import { phpTrim } from '../shared/serverText';
import { additionalFieldsProperty } from '../shared/additionalFields';

const showForCreate = { resource: ['chat'], operation: ['create'] };

/** The chat colours im.chat.add accepts. */
const CHAT_COLORS = [
	'AQUA',
	'AZURE',
	'BROWN',
	'DARK_BLUE',
	'GRAPHITE',
	'GRAY',
	'GREEN',
	'KHAKI',
	'LIGHT_BLUE',
	'LIME',
	'MARENGO',
	'MINT',
	'PINK',
	'PURPLE',
	'RED',
	'SAND',
];

const titleCase = (color: string) =>
	color
		.split('_')
		.map((word) => word[0] + word.slice(1).toLowerCase())
		.join(' ');

export const chatCreateDescription: INodeProperties[] = [
	{
		displayName: 'Title',
		name: 'title',
		type: 'string',
		required: true,
		default: '',
		displayOptions: { show: showForCreate },
		placeholder: 'Incident 42',
		description: 'The name of the new group chat',
	},
	usersProperty(showForCreate, 'People to add besides you', false),
	additionalFieldsProperty(showForCreate, [
		{
			displayName: 'Color',
			name: 'color',
			type: 'options',
			default: 'MINT',
			options: CHAT_COLORS.map((color) => ({ name: titleCase(color), value: color })),
			description: 'The colour of the chat icon',
		},
		{
			displayName: 'Description',
			name: 'description',
			type: 'string',
			default: '',
			description: 'What the chat is about',
		},
		{
			displayName: 'First Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 3 },
			default: '',
			description: 'A first message posted when the chat is created',
		},
		optionalUserProperty('ownerId', 'Owner', 'The owner of the chat; by default the user behind the credential'),
		{
			displayName: 'Type',
			name: 'type',
			type: 'options',
			default: 'closed',
			options: [
				{ name: 'Closed', value: 'closed', description: 'Only invited people can find and join it' },
				{ name: 'Open', value: 'open', description: 'Anyone on the portal can find and join it' },
			],
		},
	]),
	optionsProperty(showForCreate, transportOptions),
];

const createSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const title = readTextParameter(context, itemIndex, 'title', 'Title').trim();
		if (title === '') throw invalidInput(context, itemIndex, 'Title', 'it is empty. Give the chat a name');
		const users = readPeople(context, itemIndex, 'users', 'Users', false);
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const params: IDataObject = { TITLE: title, TYPE: fields.type === 'open' ? 'OPEN' : 'CHAT' };
		if (users.length > 0) params.USERS = users;
		if (fields.type !== undefined && fields.type !== 'open' && fields.type !== 'closed') {
			throw invalidInput(context, itemIndex, 'Type', `"${String(fields.type)}" is not open or closed`);
		}
		const text = (value: unknown, field: string) =>
			textOf(value, (problem) => {
				throw invalidInput(context, itemIndex, field, problem);
			});
		const description = text(fields.description, 'Description');
		if (description !== '') params.DESCRIPTION = description;
		if (fields.color !== undefined) {
			const color = String(fields.color).toUpperCase();
			if (!CHAT_COLORS.includes(color)) {
				throw invalidInput(
					context,
					itemIndex,
					'Color',
					`"${String(fields.color)}" is not one of ${CHAT_COLORS.join(', ')}`,
				);
			}
			params.COLOR = color;
		}
		const firstMessage = text(fields.message, 'First Message');
		if (phpTrim(firstMessage) !== '') params.MESSAGE = firstMessage;
		const ownerId = readOptionalUserId(context, itemIndex, fields.ownerId, 'Owner');
		if (ownerId !== undefined) params.OWNER_ID = ownerId;
		// A second call creates a second chat: not repeated when the answer is lost.
		return { method: 'im.chat.add', params, idempotent: false };
	},
	output(result) {
		const chatId = Number(result);
		if (!Number.isSafeInteger(chatId) || chatId <= 0) {
			throw new UnexpectedResultError(
				'CHAT_NOT_CREATED',
				`Bitrix24 answered ${JSON.stringify(result)} instead of the new chat's ID`,
			);
		}
		return { chatId, dialogId: `chat${chatId}` };
	},
	uncertainty: 'the chat may or may not have been created',
	// The answer is checked for a chat ID: a refusal may come as `false` rather than as an error.
	refusesWithFalse: true,
};

export async function executeChatCreate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, createSpec);
}
