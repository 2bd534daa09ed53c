import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_MESSAGE_CHARACTERS } from '../text/longText';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';
import { readRichFields, readRichFieldValues } from '../rich/richFields';
import { optionsProperty } from '../runner/options';
import { invalidInput, readPositiveId } from '../shared/itemInput';
import { botOptions, runBotCalls } from '../runner/botCalls';
import { botMessageFields, botRichFieldProperties, urlPreviewProperty } from '../rich/botMessageFields';
import { messageIdProperty } from '../shared/messageIdField';
import { additionalFieldsProperty } from '../shared/additionalFields';

const show = { resource: ['bot'], operation: ['updateMessage'] };

export const updateMessageDescription: INodeProperties[] = [
	messageIdProperty('updateMessage', 'change (one the bot sent)', 'bot'),
	messageFormatProperty(show, 'the new text'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show },
		description: 'The new text, in the Message Format chosen above. Empty keeps the current text.',
	},
	...botRichFieldProperties(show, { allowRemove: true }),
	additionalFieldsProperty(show, [urlPreviewProperty]),
	optionsProperty(show, botOptions),
];

export async function executeBotUpdateMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runBotCalls(this, {
		prepare(context, itemIndex, botId) {
			const invalid = (field: string, problem: string) => invalidInput(context, itemIndex, field, problem);
			const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
			const text = readMessageText(context, itemIndex);
			const extra = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
			const params: IDataObject = readRichFields(readRichFieldValues(context, itemIndex), (label, problem) => {
				throw invalid(label, problem);
			});
			// An update cannot be split into several messages: a long text fails instead of being cut.
			if ([...text.trim()].length > MAX_MESSAGE_CHARACTERS) {
				throw invalid('Message', `the text is longer than the ${MAX_MESSAGE_CHARACTERS} characters Bitrix24 keeps`);
			}
			if (text.trim() !== '') params.MESSAGE = text;
			if (extra.urlPreview !== undefined) params.URL_PREVIEW = extra.urlPreview ? 'Y' : 'N';
			const fields = botMessageFields(params, botId);
			// imbot.v2 takes "Y"/"N" for urlPreview on update (chat-message-update.md).
			if (typeof fields.urlPreview === 'boolean') fields.urlPreview = fields.urlPreview ? 'Y' : 'N';
			if (Object.keys(fields).length === 0) {
				throw invalid('Message', 'nothing to change: give a new text, attachment or keyboard');
			}
			// Setting the same text twice leaves the same message: safe to resend.
			return { method: 'imbot.v2.Chat.Message.update', params: { botId, messageId, fields }, idempotent: true };
		},
		output: (_result, call) => ({
			messageId: call.params.messageId,
			botId: call.params.botId,
			updated: true,
			...escapedBbCodeNote((call.params.fields as IDataObject | undefined)?.message),
		}),
		uncertainty: 'the message may or may not have been changed',
	});
}
