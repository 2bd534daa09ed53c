import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeSend, sendDescription } from './send.operation';
import { executeSendFile, sendFileDescription } from './sendFile.operation';

export const messageOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['message'] } },
	default: 'send',
	options: [
		{
			name: 'Send',
			value: 'send',
			action: 'Send a chat message',
			description: 'Post a message to a Bitrix24 chat (im.message.add)',
		},
		{
			name: 'Send File',
			value: 'sendFile',
			action: 'Send a file to a chat',
			description: 'Post files from binary data to a Bitrix24 chat (im.v2.File.upload)',
		},
	],
};

export const messageDescription: INodeProperties[] = [messageOperations, ...sendDescription, ...sendFileDescription];

export const messageOperationHandlers: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	send: executeSend,
	sendFile: executeSendFile,
};
