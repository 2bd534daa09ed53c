import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { executeNotificationSend, notificationSendDescription } from './send.operation';

export const notificationOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['notification'] } },
	default: 'send',
	options: [
		{
			name: 'Send',
			value: 'send',
			action: 'Send a notification',
			description:
				'Notify one person privately in their Bitrix24 notifications (the bell), not in a chat. Give the user ID and the text.',
		},
	],
};

export const notificationDescription: INodeProperties[] = [notificationOperations, ...notificationSendDescription];

export const notificationOperationHandlers: Record<
	string,
	(this: IExecuteFunctions) => Promise<INodeExecutionData[][]>
> = {
	send: executeNotificationSend,
};
