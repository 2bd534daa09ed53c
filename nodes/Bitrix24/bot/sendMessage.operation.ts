import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { botMessageFields, botRichFieldProperties, urlPreviewProperty } from '../rich/botMessageFields';
import { escapedBbCodeNote } from '../text/messageFormat';
import { messageTextProperties, readMessageParts } from '../text/messageFields';
import { botMessageOptions, botStage } from '../runner/botCalls';
import { optionsProperty } from '../runner/options';
import { messagePartsPerItem } from '../runner/partsRunner';
import { runPipeline } from '../runner/pipeline';
import { chatIdOf } from '../shared/dialogId';
import { dialogIdProperty } from '../shared/dialogIdField';
import { objectOf } from '../shared/jsonValue';
import { additionalFieldsProperty } from '../shared/additionalFields';

const show = { resource: ['bot'], operation: ['sendMessage'] };

export const sendMessageDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: { show } },
	...messageTextProperties(show),
	...botRichFieldProperties(show),
	additionalFieldsProperty(show, [
		{
			displayName: 'Reply To Message ID',
			name: 'replyId',
			type: 'number',
			default: 0,
			description: 'Post as a reply to this message (replyId); it must be in the same chat',
		},
		{
			displayName: 'System Message',
			name: 'system',
			type: 'boolean',
			default: false,
			description: 'Whether to post as a system message, shown without an author',
		},
		urlPreviewProperty,
	]),
	optionsProperty(show, botMessageOptions),
];

/** imbot.v2.Chat.Message.send answers `{id, uuidMap}`. */
const sentMessageId = (result: unknown): number => Number(objectOf(result).id);

export async function executeBotSendMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPipeline(this, {
		options: botMessageOptions,
		...botStage,
		...messagePartsPerItem<number>({
			method: 'imbot.v2.Chat.Message.send',
			// The same reading and long-text split as Send, in imbot.v2's shape.
			prepare: (context, itemIndex, botId) =>
				readMessageParts(context, itemIndex).map((part) => ({
					botId,
					dialogId: part.DIALOG_ID,
					fields: botMessageFields(part, botId),
				})),
			messageIdOf: sentMessageId,
			output(parts, messageIds) {
				const dialogId = String(parts[0].dialogId);
				const chatId = chatIdOf(dialogId);
				const json: IDataObject = {
					messageId: messageIds[0],
					dialogId,
					...(chatId !== undefined ? { chatId } : {}),
					botId: parts[0].botId,
					...escapedBbCodeNote(...parts.map((part) => (part.fields as IDataObject).message)),
				};
				if (parts.length > 1) json.messageIds = messageIds;
				return json;
			},
		}),
	});
}
