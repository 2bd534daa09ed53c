import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { MAX_MESSAGE_CHARACTERS } from '../text/longText';
import { messageFormatProperty, readMessageText } from '../text/messageFormat';
import { optionsProperty } from '../runner/options';
import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInput, readDialogIdField, readPositiveId } from '../shared/itemInput';
import { botOptions, runBotCalls } from '../runner/botCalls';

const show = { resource: ['bot'], operation: ['answerCommand'] };

export const answerCommandDescription: INodeProperties[] = [
	{
		displayName: 'Command ID',
		name: 'commandId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '31',
		displayOptions: { show },
		description: 'ID of the command that was called: the number under data → command in the raw command event',
	},
	{
		displayName: 'Command Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234 or {{ $json.messageId }}',
		displayOptions: { show },
		description: 'ID of the message that called the command, from the command event',
	},
	{
		...dialogIdProperty,
		displayOptions: { show },
		description: 'The dialog the command was called in, from the command event (dialogId)',
	},
	messageFormatProperty(show, 'the answer'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		required: true,
		displayOptions: { show },
		description:
			'The answer, in the Message Format chosen above. Where the bot is not a member of the chat Bitrix24 shows it as a system message.',
	},
	optionsProperty(show, botOptions),
];

export async function executeBotAnswerCommand(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runBotCalls(this, {
		prepare(context, itemIndex, botId) {
			const commandId = readPositiveId(context, itemIndex, 'commandId', 'Command ID');
			const messageId = readPositiveId(context, itemIndex, 'messageId', 'Command Message ID');
			const dialogId = readDialogIdField(context, itemIndex);
			const message = readMessageText(context, itemIndex);
			if (message.trim() === '') throw invalidInput(context, itemIndex, 'Message', 'the answer is empty');
			if ([...message.trim()].length > MAX_MESSAGE_CHARACTERS) {
				throw invalidInput(
					context,
					itemIndex,
					'Message',
					`the answer is longer than the ${MAX_MESSAGE_CHARACTERS} characters Bitrix24 keeps`,
				);
			}
			const params = { botId, commandId, messageId, dialogId, fields: { message } };
			return { method: 'imbot.v2.Command.answer', params, idempotent: false };
		},
		output: (_result, call) => ({
			commandId: call.params.commandId,
			messageId: call.params.messageId,
			dialogId: call.params.dialogId,
			botId: call.params.botId,
			answered: true,
		}),
		uncertainty: 'the answer may or may not have been posted',
	});
}
