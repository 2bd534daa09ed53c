import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../runner/options';
import { readPositiveId } from '../shared/itemInput';
import { botOptions, runBotCalls } from '../runner/botCalls';
import { messageIdProperty } from '../shared/messageIdField';

const show = { resource: ['bot'], operation: ['deleteMessage'] };

export const deleteMessageDescription: INodeProperties[] = [
	messageIdProperty('deleteMessage', 'delete (one the bot sent)', 'bot'),
	optionsProperty(show, botOptions),
];

export async function executeBotDeleteMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runBotCalls(this, {
		prepare(context, itemIndex, botId) {
			const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
			// A second delete of a deleted message fails: a call that may have run is reported, not repeated.
			return { method: 'imbot.v2.Chat.Message.delete', params: { botId, messageId }, idempotent: false };
		},
		output: (_result, call) => ({ messageId: call.params.messageId, botId: call.params.botId, deleted: true }),
		uncertainty: 'the message may or may not have been deleted',
	});
}
