import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeSend, sendDescription } from './send.operation';

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
	],
};

export const messageDescription: INodeProperties[] = [messageOperations, ...sendDescription];

export const messageOperationHandlers: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	send: executeSend,
};
