import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sortedByDisplayName } from '../rich/builderValues';
import { buildParams, messageTextProperties } from '../message/send.operation';
import { escapedBbCodeNote } from '../text/messageFormat';
import { sendItemsInOrder, summarizeItem } from '../runner/partsRunner';
import type { ItemCommands } from '../runner/partsRunner';
import { failedItem } from '../runner/runOperation';
import { readSendOptions, sendOptionsProperty } from '../runner/sendOptions';
import { chatIdOf } from '../shared/dialogId';
import { dialogIdProperty } from '../shared/dialogIdField';
import { objectOf } from '../shared/jsonValue';
import { failureToNodeApiError } from '../transport';
import { resolveBots } from '../runner/botField';
import {
	botMessageFields,
	botRichFieldProperties,
	urlPreviewProperty,
	withoutBatching,
} from '../rich/botMessageFields';

const show = { resource: ['bot'], operation: ['sendMessage'] };

export const sendMessageDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: { show } },
	...messageTextProperties(show),
	...botRichFieldProperties(show),
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: { show },
		options: sortedByDisplayName<INodeProperties>([
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
	},
	withoutBatching(sendOptionsProperty, show),
];

/** imbot.v2.Chat.Message.send answers `{id, uuidMap}`. */
const sentMessageId = (result: unknown): number => Number(objectOf(result).id);

export async function executeBotSendMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);
	const bots = await resolveBots(this);

	const toSend: ItemCommands[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const botId = bots.botIdFor(itemIndex);
			const commands = buildParams(this, itemIndex).map((part) => ({
				itemIndex,
				params: { botId, dialogId: part.DIALOG_ID, fields: botMessageFields(part, botId) } as IDataObject,
			}));
			toSend.push({ itemIndex, commands });
		} catch (error) {
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failedItem(this, itemIndex, invalidInput);
		}
	}

	if (toSend.length > 0) {
		const options = { ...readSendOptions(this, continueOnFail), batching: false };
		const method = 'imbot.v2.Chat.Message.send';
		const outcomes = await sendItemsInOrder(this, bots.connection, method, toSend, options);
		for (const { itemIndex, commands } of toSend) {
			const { messageIds, failure, complete } = summarizeItem(commands, outcomes, sentMessageId);
			if (failure) {
				const error = failureToNodeApiError(this.getNode(), failure, itemIndex);
				if (!continueOnFail) throw error;
				output[itemIndex] = failedItem(this, itemIndex, error);
				if (messageIds.length > 0) output[itemIndex].json.messageIds = messageIds;
				continue;
			}
			if (!complete) continue; // not sent: an earlier item stopped the run
			const dialogId = String(commands[0].params.dialogId);
			const chatId = chatIdOf(dialogId);
			const json: IDataObject = {
				messageId: messageIds[0],
				dialogId,
				...(chatId !== undefined ? { chatId } : {}),
				botId: commands[0].params.botId,
				...escapedBbCodeNote(...commands.map((command) => (command.params.fields as IDataObject).message)),
			};
			if (commands.length > 1) json.messageIds = messageIds;
			output[itemIndex] = { json, pairedItem: { item: itemIndex } };
		}
	}
	return [output.filter((entry) => entry !== undefined)];
}
