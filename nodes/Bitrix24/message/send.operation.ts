import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import { dialogIdProperty, isDialogId } from '../shared/dialogId';
import { bitrix24CodeOf, failureToNodeApiError } from '../transport/errors';
import { resolveConnection } from '../transport/connection';
import { runCommands } from '../transport/commands';
import type { Command } from '../transport/commands';
import { readSendOptions, sendOptionsProperty } from './sendOptions';
import { parseJsonField, validateAttach, validateKeyboard, validateMenu } from './richContent';
import type { RejectContent } from './richContent';

const showForSend = { show: { resource: ['message'], operation: ['send'] } };

export const sendDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: showForSend },
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: showForSend,
		placeholder: '[b]Build passed[/b] on main',
		description:
			'The text to post, in Bitrix24 BB-code: bold, italic, underline and strike tags, links, user and chat mentions, code blocks (see the hint). Markdown is not rendered. May be empty only when an attachment is given.',
		hint: 'BB-code, e.g. [b]bold[/b], [url=https://example.com]link[/url], [user=1]name[/user]',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForSend,
		options: [
			{
				displayName: 'Attachment (JSON)',
				name: 'attach',
				type: 'json',
				default: '',
				description:
					'Rich blocks under the message (ATTACH): a list of blocks, or {"COLOR_TOKEN": "primary", "BLOCKS": [...]}. Block types: MESSAGE, LINK, USER, GRID, IMAGE, FILE, DELIMITER.',
				placeholder: '[{"MESSAGE": "Deployed"}, {"LINK": {"NAME": "Release notes", "LINK": "https://example.com"}}]',
			},
			{
				displayName: 'Keyboard (JSON)',
				name: 'keyboard',
				type: 'json',
				default: '',
				description:
					'Buttons under the message (KEYBOARD): a list of buttons or {"BUTTONS": [...]}. Each button needs TEXT and LINK, ACTION + ACTION_VALUE, COMMAND or APP_ID; {"TYPE": "NEWLINE"} starts a new row.',
				placeholder: '[{"TEXT": "Open", "LINK": "https://example.com"}]',
			},
			{
				displayName: 'Menu (JSON)',
				name: 'menu',
				type: 'json',
				default: '',
				description:
					'Items added to the message context menu (MENU): a list of items or {"ITEMS": [...]}, each with TEXT and an action like a keyboard button',
				placeholder: '[{"TEXT": "Copy ID", "ACTION": "COPY", "ACTION_VALUE": "42"}]',
			},
			{
				displayName: 'Reply To Message ID',
				name: 'replyId',
				type: 'number',
				default: 0,
				description: 'Post as a reply to this message (REPLY_ID); it must be in the same chat',
			},
			{
				displayName: 'System Message',
				name: 'system',
				type: 'boolean',
				default: false,
				description: 'Whether to post as a system message (SYSTEM), shown without an author',
			},
			{
				displayName: 'URL Preview',
				name: 'urlPreview',
				type: 'boolean',
				default: true,
				description: 'Whether Bitrix24 turns links in the text into rich previews (URL_PREVIEW)',
			},
		],
	},
	{ ...sendOptionsProperty, displayOptions: showForSend },
];

interface RichField {
	name: 'attach' | 'keyboard' | 'menu';
	param: 'ATTACH' | 'KEYBOARD' | 'MENU';
	label: string;
	validate: (value: unknown, reject: RejectContent) => unknown;
}

const RICH_FIELDS: RichField[] = [
	{ name: 'attach', param: 'ATTACH', label: 'Attachment', validate: validateAttach },
	{ name: 'keyboard', param: 'KEYBOARD', label: 'Keyboard', validate: validateKeyboard },
	{ name: 'menu', param: 'MENU', label: 'Menu', validate: validateMenu },
];

/** Reads and checks one item's fields; throws a NodeOperationError naming the field and item. */
function buildParams(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = context.getNode();
	const invalid = (field: string, problem: string) =>
		new NodeOperationError(node, `Invalid "${field}" in item ${itemIndex}: ${problem}`, { itemIndex });

	const dialogId = String(context.getNodeParameter('dialogId', itemIndex, '', { extractValue: true }) ?? '').trim();
	if (!isDialogId(dialogId)) {
		throw invalid(
			'Dialog',
			`"${dialogId.slice(0, 40)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	const message = String(context.getNodeParameter('message', itemIndex, '') ?? '');
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const params: IDataObject = { DIALOG_ID: dialogId, MESSAGE: message };
	for (const field of RICH_FIELDS) {
		if (fields[field.name] === undefined) continue;
		const reject: RejectContent = (path, problem) => {
			throw invalid(field.label, path ? `${path} ${problem}` : problem);
		};
		const parsed = parseJsonField(fields[field.name], field.label, reject);
		if (parsed === undefined || parsed === null) continue;
		params[field.param] = field.validate(parsed, reject) as IDataObject;
	}
	if (message.trim() === '' && params.ATTACH === undefined) {
		throw invalid('Message', 'the text is empty and there is no attachment. Write a message or add an attachment');
	}
	if (fields.system !== undefined) params.SYSTEM = fields.system ? 'Y' : 'N';
	if (fields.urlPreview !== undefined) params.URL_PREVIEW = fields.urlPreview ? 'Y' : 'N';
	if (fields.replyId !== undefined) {
		const replyId = Number(fields.replyId);
		if (!Number.isSafeInteger(replyId) || replyId <= 0) {
			throw invalid('Reply To Message ID', `"${String(fields.replyId)}" is not a positive whole number`);
		}
		params.REPLY_ID = replyId;
	}
	return params;
}

export async function executeSend(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);

	// "Continue (using error output)" routes items by their `error`; "Continue" would replace the
	// json of such an item with {error} alone, so there the code travels in the json only.
	const routeToErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const failed = (itemIndex: number, error: NodeApiError | NodeOperationError): INodeExecutionData => ({
		json: { error: error.message, code: bitrix24CodeOf(error) ?? 'INVALID_PARAMETER' },
		...(routeToErrorOutput ? { error } : {}),
		pairedItem: { item: itemIndex },
	});

	// Every item is checked before anything is sent: bad input never leaves half a run posted.
	const commands: Command[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			commands.push({ itemIndex, params: buildParams(this, itemIndex) });
		} catch (error) {
			// NodeOperationError hands back the error it is given: this only satisfies the types.
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failed(itemIndex, invalidInput);
		}
	}

	if (commands.length > 0) {
		const connection = await resolveConnection(this);
		const options = readSendOptions(this, continueOnFail);
		const outcomes = await runCommands(this, connection, 'im.message.add', commands, options);
		commands.forEach((command, position) => {
			const outcome = outcomes[position];
			if (outcome === undefined) return;
			if (outcome.ok) {
				output[command.itemIndex] = {
					json: { messageId: Number(outcome.result), dialogId: String(command.params.DIALOG_ID) },
					pairedItem: { item: command.itemIndex },
				};
				return;
			}
			const error = failureToNodeApiError(this.getNode(), outcome.failure, command.itemIndex);
			if (!continueOnFail) throw error;
			output[command.itemIndex] = failed(command.itemIndex, error);
		});
	}
	return [output.filter((entry) => entry !== undefined)];
}
