import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { runItemOperation } from '../runner/runOperation';
import { sendOptionsProperty } from '../runner/sendOptions';
import { readPositiveId } from '../shared/itemInput';
import { resolveBots } from '../runner/botField';
import { withoutBatching } from '../rich/botMessageFields';
import { messageIdProperty } from '../shared/messageIdField';

const show = { resource: ['bot'], operation: ['deleteMessage'] };

export const deleteMessageDescription: INodeProperties[] = [
	messageIdProperty('deleteMessage', 'delete (one the bot sent)', 'bot'),
	withoutBatching(sendOptionsProperty, show),
];

export async function executeBotDeleteMessage(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const bots = await resolveBots(this);
	return await runItemOperation(this, {
		prepare(context, itemIndex) {
			const botId = bots.botIdFor(itemIndex);
			const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
			// A second delete of a deleted message fails: a call that may have run is reported, not repeated.
			return { method: 'imbot.v2.Chat.Message.delete', params: { botId, messageId }, idempotent: false };
		},
		output: (_result, call) => ({ messageId: call.params.messageId, botId: call.params.botId, deleted: true }),
		uncertainty: 'the message may or may not have been deleted',
		batchable: false,
	});
}
