import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { deleteDescription, executeDelete } from './delete.operation';
import { executeGetMany, getManyDescription } from './getMany.operation';
import { executeReact, reactDescription } from './react.operation';
import { executeSend, sendDescription } from './send.operation';
import { executeUpdate, updateDescription } from './update.operation';
import { executeSendFile, sendFileDescription } from './sendFile.operation';
import { executeSendAndWait, sendAndWaitDescription } from './sendAndWait.operation';

export const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	default: 'send',
	options: [
		{
			name: 'Delete',
			value: 'delete',
			action: 'Delete a chat message',
			description:
				'Remove a message by its ID (im.message.delete). Only the author can delete; deleting an already deleted message fails.',
		},
		{
			name: 'Get Many',
			value: 'getMany',
			action: 'Get many chat messages',
			description:
				'Read the recent messages of a chat (im.dialog.messages.get): one item per message with its ID, author ID and name, date and text. Use it to see what was said before answering.',
		},
		{
			name: 'React',
			value: 'react',
			action: 'React to a chat message',
			description: 'Like, unlike or toggle the like of a message by its ID (im.message.like), e.g. to acknowledge it',
		},
		{
			name: 'Send',
			value: 'send',
			action: 'Send a chat message',
			description:
				'Post a message to a Bitrix24 chat (im.message.add). Outputs messageId: pass it to Update, Delete or React to change that message later.',
		},
		{
			name: 'Send and Wait for Response',
			value: SEND_AND_WAIT_OPERATION,
			action: 'Send a message and wait for response',
			description:
				'Post a question with Approve/Decline buttons, or a link to a free-text answer or a form, and pause the workflow until someone answers. Its output is the answer.',
		},
		{
			name: 'Send File',
			value: 'sendFile',
			action: 'Send a file to a chat',
			description: 'Post files from binary data to a Bitrix24 chat (im.v2.File.upload)',
		},
		{
			name: 'Update',
			value: 'update',
			action: 'Update a chat message',
			description:
				'Change the text, attachment, keyboard or menu of a message by its ID (im.message.update), e.g. turn "deploy started" into "deploy finished". Empty text keeps the current text.',
		},
	],
};

export const messageDescription: INodeProperties[] = [
	messageOperations,
	...sendDescription,
	...sendFileDescription,
	...sendAndWaitDescription,
	...deleteDescription,
	...reactDescription,
	...getManyDescription,
	...updateDescription,
];

export const messageOperationHandlers: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	send: executeSend,
	sendFile: executeSendFile,
	[SEND_AND_WAIT_OPERATION]: executeSendAndWait,
	delete: executeDelete,
	react: executeReact,
	getMany: executeGetMany,
	update: executeUpdate,
};
