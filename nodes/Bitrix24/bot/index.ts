import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { answerCommandDescription, executeBotAnswerCommand } from './answerCommand.operation';
import { botProperty } from '../shared/botField';
import { deleteMessageDescription, executeBotDeleteMessage } from './deleteMessage.operation';
import { executeBotSendFile, sendFileDescription } from './sendFile.operation';
import { executeBotSendMessage, sendMessageDescription } from './sendMessage.operation';
import { executeBotSendTyping, sendTypingDescription } from './sendTyping.operation';
import { executeBotUpdateMessage, updateMessageDescription } from './updateMessage.operation';

/** Resource "Chat Bot": the node speaks as a bot registered with imbot.v2, not as the credential's user. */
export const botOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['bot'] } },
	default: 'sendMessage',
	options: [
		{
			name: 'Answer Command',
			value: 'answerCommand',
			action: 'Answer a chat bot command',
			description: 'Reply to a command event (imbot.v2.Command.answer), also in chats the bot is not a member of',
		},
		{
			name: 'Delete Message',
			value: 'deleteMessage',
			action: 'Delete a chat bot message',
			description: 'Remove a message the bot sent (imbot.v2.Chat.Message.delete)',
		},
		{
			name: 'Send File',
			value: 'sendFile',
			action: 'Send a file as a chat bot',
			description: 'Post files from binary data as the bot (imbot.v2.File.upload)',
		},
		{
			name: 'Send Message',
			value: 'sendMessage',
			action: 'Send a message as a chat bot',
			description:
				'Post a message as the bot (imbot.v2.Chat.Message.send), with buttons that call its commands. Outputs messageId.',
		},
		{
			name: 'Send Typing',
			value: 'sendTyping',
			action: 'Show the chat bot typing',
			description:
				'Show "typing…" or "the agent is thinking…" under the bot\'s name (imbot.v2.Chat.InputAction.notify)',
		},
		{
			name: 'Update Message',
			value: 'updateMessage',
			action: 'Update a chat bot message',
			description: 'Change the text, attachment or keyboard of a message the bot sent (imbot.v2.Chat.Message.update)',
		},
	],
};

export const botDescription: INodeProperties[] = [
	botOperations,
	botProperty,
	...sendMessageDescription,
	...updateMessageDescription,
	...deleteMessageDescription,
	...sendTypingDescription,
	...sendFileDescription,
	...answerCommandDescription,
];

export const botOperationHandlers: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	sendMessage: executeBotSendMessage,
	updateMessage: executeBotUpdateMessage,
	deleteMessage: executeBotDeleteMessage,
	sendTyping: executeBotSendTyping,
	sendFile: executeBotSendFile,
	answerCommand: executeBotAnswerCommand,
};
