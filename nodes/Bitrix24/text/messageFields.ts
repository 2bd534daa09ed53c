import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { readRichFields, readRichFieldValues } from '../rich/richFields';
import { messageParts } from './messageParts';
import type { LongTextMode } from './messageParts';
import { messageFormatProperty, readMessageText } from './messageFormat';

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
 * `readMessageParts`. The format sits above the text it describes; the Message field below it
 * shows the matching hint (n8n hints are static, so there is one Message field per format,
 * sharing one value).
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

/**
 * Reads and checks the message fields of one item (Dialog, Message, the rich fields, Additional
 * Fields, Options → Long Text) as im.message.add parameters; throws naming the field and item.
 * Returns one parameter set per message: several when a long text is split. Message → Send and
 * Chat Bot → Send Message both read their fields through this.
 */
export function readMessageParts(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const reject = (field: string, problem: string): never => {
		throw invalidInput(context, itemIndex, field, problem);
	};

	const dialogId = readDialogIdField(context, itemIndex);
	const message = readMessageText(context, itemIndex);
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const params: IDataObject = { DIALOG_ID: dialogId, MESSAGE: message };
	Object.assign(params, readRichFields(readRichFieldValues(context, itemIndex), reject));
	if (message.trim() === '' && params.ATTACH === undefined) {
		reject('Message', 'the text is empty and there is no attachment. Write a message or add an attachment');
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
			reject('Reply To Message ID', `"${String(fields.replyId)}" is not a positive whole number`);
		}
		params.REPLY_ID = replyId;
	}
	// Send's own option, read per item like the rest of the item (the transport options are per run).
	const longText = context.getNodeParameter('options.longText', itemIndex, 'split') as LongTextMode;
	return messageParts(params, longText, reject);
}
