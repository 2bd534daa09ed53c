import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';

import { dialogIdProperty, isDialogId } from '../shared/dialogId';
import { bitrix24CodeOf, failureToNodeApiError } from '../transport/errors';
import { resolveConnection } from '../transport/connection';
import { runCommands } from '../transport/commands';
import type { Command } from '../transport/commands';
import { sortedByDisplayName } from './editor/builderValues';
import { dialogIdFromUrl } from './editor/dialogUrl';
import { markdownToBbCode } from './editor/markdownToBbCode';
import { readRichFields, richFieldProperties } from './richFields';
import { readSendOptions, sendOptionsProperty } from './sendOptions';

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
			'The text to post. Bitrix24 renders BB-code, not Markdown: [b]bold[/b], [i]italic[/i], [s]strike[/s], links, [user=ID] mentions, [code] blocks; new lines are kept. To write Markdown instead, set Options → Message Format to Markdown. May be empty only when an attachment is given.',
		hint: 'BB-code, e.g. [b]bold[/b], [url=https://example.com]link[/url], [user=1]name[/user]. Over 20,000 characters Bitrix24 cuts the text.',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForSend,
		// Sorted by display name at run time too: the builders' fields come from other files.
		options: sortedByDisplayName<INodeProperties>([
			...richFieldProperties(),
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
		]),
	},
	{ ...sendOptionsProperty, displayOptions: showForSend },
];

/** Reads the Dialog field in any of its modes: a picked or typed ID, or a chat link. */
function readDialogId(context: IExecuteFunctions, itemIndex: number): string {
	const locator = context.getNodeParameter('dialogId', itemIndex) as INodeParameterResourceLocator | string;
	if (typeof locator !== 'object' || locator === null) return String(locator ?? '').trim();
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'url') return dialogIdFromUrl(value) ?? value;
	return value;
}

/** Reads and checks one item's fields; throws a NodeOperationError naming the field and item. */
function buildParams(context: IExecuteFunctions, itemIndex: number): IDataObject {
	const node = context.getNode();
	const invalid = (field: string, problem: string) =>
		new NodeOperationError(node, `Invalid "${field}" in item ${itemIndex}: ${problem}`, { itemIndex });

	const dialogId = readDialogId(context, itemIndex);
	if (!isDialogId(dialogId)) {
		throw invalid(
			'Dialog',
			`"${dialogId.slice(0, 40)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	const text = String(context.getNodeParameter('message', itemIndex, '') ?? '');
	const format = context.getNodeParameter('options.messageFormat', itemIndex, 'bbcode') as string;
	// Agents write Markdown; Bitrix24 only renders BB-code.
	const message = format === 'markdown' ? markdownToBbCode(text) : text;
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const params: IDataObject = { DIALOG_ID: dialogId, MESSAGE: message };
	Object.assign(params, readRichFields(fields, (label, problem) => {
		throw invalid(label, problem);
	}));
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
