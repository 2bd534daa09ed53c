import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readPositiveId, readUserIds } from '../shared/itemInput';
import { runItemOperation, transportOptionsProperty } from '../runner/runOperation';
import type { OperationSpec } from '../runner/runOperation';

const showForAddUsers = { resource: ['chat'], operation: ['addUsers'] };

export const chatAddUsersDescription: INodeProperties[] = [
	{
		displayName: 'Chat ID',
		name: 'chatId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 15 or {{ $json.chatId }}',
		displayOptions: { show: showForAddUsers },
		description: 'The group chat: its number (chatId from Create) or chat123',
	},
	{
		displayName: 'User IDs',
		name: 'userIds',
		type: 'string',
		required: true,
		default: '',
		placeholder: '3, 7, 12',
		displayOptions: { show: showForAddUsers },
		description:
			'People to add: user IDs as comma-separated text, or a list from an expression. When all of them are already in the chat, the item succeeds and lists them in alreadyMembers.',
	},
	transportOptionsProperty(showForAddUsers, { batching: true }),
];

const addUsersSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const chatId = readPositiveId(context, itemIndex, 'chatId', 'Chat ID', 'chat');
		const users = readUserIds(context, itemIndex, 'userIds', 'User IDs', true);
		// Adding someone who is already a member changes nothing, so a lost answer is asked again.
		return { method: 'im.chat.user.add', params: { CHAT_ID: chatId, USERS: users }, idempotent: true };
	},
	output: (_result, call) => ({ chatId: call.params.CHAT_ID, added: true }),
	async settled(failure, call, _itemIndex, lookup) {
		// Bitrix24 answers WRONG_REQUEST ("You don't have access or user already member in chat")
		// when no one listed is new, which is also what a retry after a lost answer gets. The same
		// code means "no access", so the chat's member list decides which of the two it was.
		if (failure.code !== 'WRONG_REQUEST') return undefined;
		const members = await lookup('im.chat.user.list', { CHAT_ID: call.params.CHAT_ID });
		if (!members.ok || !Array.isArray(members.result)) return undefined;
		const memberIds = new Set(members.result.map(Number));
		const users = call.params.USERS as number[];
		if (!users.every((id) => memberIds.has(id))) return undefined;
		return { chatId: call.params.CHAT_ID, added: true, alreadyMembers: users };
	},
	uncertainty: 'the people may or may not have been added',
};

export async function executeChatAddUsers(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runItemOperation(this, addUsersSpec);
}
