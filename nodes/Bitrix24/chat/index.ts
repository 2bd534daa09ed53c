import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { chatAddUsersDescription, executeChatAddUsers } from './addUsers.operation';
import { chatCreateDescription, executeChatCreate } from './create.operation';
import { chatGetDescription, executeChatGet } from './get.operation';

export const chatOperations: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	noDataExpression: true,
	displayOptions: { show: { resource: ['chat'] } },
	default: 'create',
	options: [
		{
			name: 'Add Users',
			value: 'addUsers',
			action: 'Add users to a chat',
			description:
				'Add people to a group chat by their user IDs (im.chat.user.add). Adding a member again is harmless.',
		},
		{
			name: 'Create',
			value: 'create',
			action: 'Create a chat',
			description:
				'Create a group chat with a title and members (im.chat.add). Outputs chatId and dialogId; pass dialogId to Message → Send.',
		},
		{
			name: 'Get',
			value: 'get',
			action: 'Get a chat',
			description: "Read a chat's ID, type, title, owner and member count (im.dialog.get)",
		},
	],
};

export const chatDescription: INodeProperties[] = [
	chatOperations,
	...chatCreateDescription,
	...chatGetDescription,
	...chatAddUsersDescription,
];

export const chatOperationHandlers: Record<string, (this: IExecuteFunctions) => Promise<INodeExecutionData[][]>> = {
	create: executeChatCreate,
	get: executeChatGet,
	addUsers: executeChatAddUsers,
};
