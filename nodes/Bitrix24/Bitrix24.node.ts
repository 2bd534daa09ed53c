import { NodeConnectionTypes, NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

import { botDescription, botOperationHandlers } from './bot';
import { chatDescription, chatOperationHandlers } from './chat';
import { messageDescription, messageOperationHandlers } from './message';
import { searchBots } from './methods/searchBots';
import { searchDialogs } from './methods/searchDialogs';
import { searchUsers } from './methods/searchUsers';
import { notificationDescription, notificationOperationHandlers } from './notification';
import { authenticationProperty, bitrix24Credentials } from './shared/authenticationDescription';

const operationHandlers: Record<string, typeof messageOperationHandlers> = {
	message: messageOperationHandlers,
	notification: notificationOperationHandlers,
	chat: chatOperationHandlers,
	bot: botOperationHandlers,
};

export class Bitrix24 implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24',
		name: 'bitrix24',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['output'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description: 'Send messages and files to Bitrix24 chats, edit, react to and read them; notify people; create chats',
		defaults: { name: 'Bitrix24' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrix24Credentials,
		properties: [
			authenticationProperty,
			{
				displayName: 'Resource',
				name: 'resource',
				type: 'options',
				noDataExpression: true,
				options: [
					{ name: 'Chat', value: 'chat' },
					{ name: 'Chat Bot', value: 'bot' },
					{ name: 'Message', value: 'message' },
					{ name: 'Notification', value: 'notification' },
				],
				default: 'message',
			},
			...messageDescription,
			...notificationDescription,
			...chatDescription,
			...botDescription,
		],
	};

	methods = {
		listSearch: { searchBots, searchDialogs, searchUsers },
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const resource = this.getNodeParameter('resource', 0) as string;
		const operation = this.getNodeParameter('operation', 0) as string;
		const handler = operationHandlers[resource]?.[operation];
		if (!handler) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
		}
		return await handler.call(this);
	}
}
