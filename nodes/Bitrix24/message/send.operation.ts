import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';

import { isDialogId } from '../shared/dialogId';
import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInputMessage } from '../shared/itemInput';
import { failureToNodeApiError, resolveConnection } from '../transport';
import { sortedByDisplayName } from '../rich/builderValues';
import { dialogIdFromUrl } from '../shared/dialogUrl';
import { messageParts } from '../text/messageParts';
import type { LongTextMode } from '../text/messageParts';
import { sendItemsInOrder, summarizeItem } from '../runner/partsRunner';
import type { ItemCommands } from '../runner/partsRunner';
import { readRichFields, readRichFieldValues, richFieldProperties } from '../rich/richFields';
import { failedItem } from '../runner/runOperation';
import { readSendOptions, sendOptionsProperty } from '../runner/sendOptions';
import { sentMessageOutput } from '../shared/sentMessage';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';

const showForSend = { show: { resource: ['message'], operation: ['send'] } };

const messageProperty: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	description:
		'The text to post. Bitrix24 renders BB-code: [b]bold[/b], [i]italic[/i], [s]strike[/s], links, [user=ID] mentions, [code] blocks; new lines are kept. With Message Format set to Markdown, Markdown is converted to BB-code. May be empty only when an attachment is given.',
};

/**
 * Message Format and the Message text, for every operation that posts a message read by
 * `buildParams`. The format sits above the text it describes; the Message field below it shows
 * the matching hint (n8n hints are static, so there is one Message field per format, sharing one
 * value).
 */
export function messageTextProperties(show: Record<string, string[]>): INodeProperties[] {
	return [
		messageFormatProperty(show, 'the Message text'),
		{
			...messageProperty,
			displayOptions: { show: { ...show, messageFormat: ['bbcode'] } },
			placeholder: '[b]Build passed[/b] on main',
			hint: 'BB-code, e.g. [b]bold[/b], [url=https://example.com]link[/url], [user=1]name[/user]. A text over 20,000 characters is sent as several messages (Options → Long Text).',
		},
		{
			...messageProperty,
			displayOptions: { show: { ...show, messageFormat: ['markdown'] } },
			placeholder: '**Build passed** on main',
			hint: 'Markdown, e.g. **bold**, _italic_, [link](https://example.com), - lists, # headings, `code`; converted to BB-code before sending. BB-code tags already in the text ([b]) are shown as typed, and the output says escapedBbCode: true. A text over 20,000 characters is sent as several messages (Options → Long Text).',
		},
	];
}

export const sendDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: showForSend },
	...messageTextProperties(showForSend.show),
	...richFieldProperties({ displayOptions: showForSend }),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForSend,
		options: sortedByDisplayName<INodeProperties>([
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
export function readDialogId(context: IExecuteFunctions, itemIndex: number): string {
	const locator = context.getNodeParameter('dialogId', itemIndex) as INodeParameterResourceLocator | string;
	if (typeof locator !== 'object' || locator === null) return String(locator ?? '').trim();
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'url') return dialogIdFromUrl(value) ?? value;
	return value;
}

/**
 * Reads and checks one item's fields; throws a NodeOperationError naming the field and item.
 * Returns one parameter set per message: several when a long text is split. Chat Bot → Send
 * Message reads its fields through this too.
 */
export function buildParams(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const node = context.getNode();
	const invalid = (field: string, problem: string) =>
		new NodeOperationError(node, invalidInputMessage(itemIndex, field, problem), { itemIndex });

	const dialogId = readDialogId(context, itemIndex);
	if (!isDialogId(dialogId)) {
		throw invalid(
			'Dialog',
			`"${dialogId.slice(0, 40)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	const message = readMessageText(context, itemIndex);
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const params: IDataObject = { DIALOG_ID: dialogId, MESSAGE: message };
	Object.assign(
		params,
		readRichFields(readRichFieldValues(context, itemIndex), (label, problem) => {
			throw invalid(label, problem);
		}),
	);
	if (message.trim() === '' && params.ATTACH === undefined) {
		throw invalid('Message', 'the text is empty and there is no attachment. Write a message or add an attachment');
	}
	if (fields.system !== undefined) params.SYSTEM = fields.system ? 'Y' : 'N';
	if (fields.urlPreview !== undefined) params.URL_PREVIEW = fields.urlPreview ? 'Y' : 'N';
	// The editor puts 0 in the field when it is added: 0 or empty means "not a reply".
	if (
		fields.replyId !== undefined &&
		fields.replyId !== null &&
		fields.replyId !== 0 &&
		fields.replyId !== '' &&
		fields.replyId !== '0'
	) {
		const replyId = Number(fields.replyId);
		if (!Number.isSafeInteger(replyId) || replyId <= 0) {
			throw invalid('Reply To Message ID', `"${String(fields.replyId)}" is not a positive whole number`);
		}
		params.REPLY_ID = replyId;
	}
	const longText = context.getNodeParameter('options.longText', itemIndex, 'split') as LongTextMode;
	return messageParts(params, longText, (field, problem) => {
		throw invalid(field, problem);
	});
}

export async function executeSend(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);

	// Every item is checked before anything is sent: bad input never leaves half a run posted.
	const toSend: ItemCommands[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			toSend.push({ itemIndex, commands: buildParams(this, itemIndex).map((params) => ({ itemIndex, params })) });
		} catch (error) {
			// NodeOperationError hands back the error it is given: this only satisfies the types.
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failedItem(this, itemIndex, invalidInput);
		}
	}

	if (toSend.length > 0) {
		const connection = await resolveConnection(this);
		const options = readSendOptions(this, continueOnFail);
		const outcomes = await sendItemsInOrder(this, connection, 'im.message.add', toSend, options);
		for (const { itemIndex, commands } of toSend) {
			const { messageIds, failure, complete } = summarizeItem(commands, outcomes);
			if (failure) {
				const error = failureToNodeApiError(this.getNode(), failure, itemIndex);
				if (!continueOnFail) throw error;
				output[itemIndex] = failedItem(this, itemIndex, error);
				if (messageIds.length > 0) output[itemIndex].json.messageIds = messageIds;
				continue;
			}
			if (!complete) continue; // not sent: an earlier item stopped the run
			const sent = sentMessageOutput(connection.portal, messageIds[0], commands[0].params);
			if (commands.length > 1) {
				// A split text: every part's ID, and the text as the parts carried it.
				sent.messageIds = messageIds;
				sent.text = commands.map((command) => String(command.params.MESSAGE ?? '')).join('\n');
			}
			Object.assign(sent, escapedBbCodeNote(...commands.map((command) => command.params.MESSAGE)));
			output[itemIndex] = { json: sent, pairedItem: { item: itemIndex } };
		}
	}
	return [output.filter((entry) => entry !== undefined)];
}
