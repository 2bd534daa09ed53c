import { NodeConnectionTypes, NodeOperationError, SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IWebhookFunctions,
	IWebhookResponseData,
} from 'n8n-workflow';

import { botDescription, botOperationHandlers } from './bot';
import { chatDescription, chatOperationHandlers } from './chat';
import { messageDescription, messageOperationHandlers } from './message';
import { isHumanReviewTool, sendAndWaitWaitingTooltip, sendAndWaitWebhook, sendAndWaitWebhooks } from './sendAndWait';
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
		// Send and Wait for Response resumes through these; n8n also builds the AI agents'
		// human-review tool (bitrix24HitlTool) from a node that has them and that operation.
		webhooks: sendAndWaitWebhooks,
		waitingNodeTooltip: sendAndWaitWaitingTooltip,
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

	async webhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
		return await sendAndWaitWebhook.call(this);
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		// The human-review tool has no resource or operation field: it only ever sends and waits.
		const humanReview = isHumanReviewTool(this.getNode().type);
		const resource = humanReview ? 'message' : (this.getNodeParameter('resource', 0) as string);
		const operation = humanReview ? SEND_AND_WAIT_OPERATION : (this.getNodeParameter('operation', 0) as string);
		const handler = operationHandlers[resource]?.[operation];
		if (!handler) {
			throw new NodeOperationError(this.getNode(), `The operation "${operation}" on "${resource}" is not supported`);
		}
		return await handler.call(this);
	}
}
