import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readGroupChatId, readPeople } from '../shared/itemInput';
import { dialogIdProperty } from '../shared/dialogIdField';
import { usersProperty } from '../shared/userIdField';
import { runOneCallPerItem } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';

const showForAddUsers = { resource: ['chat'], operation: ['addUsers'] };

export const chatAddUsersDescription: INodeProperties[] = [
	{
		...dialogIdProperty,
		displayOptions: { show: showForAddUsers },
		description: 'The group chat to add people to: pick it, or give chat123 or its chat ID (chatId from Create)',
		modes: dialogIdProperty.modes?.map((mode) =>
			mode.name === 'id'
				? {
						...mode,
						placeholder: 'chat15',
						hint: 'A group chat: chat123, or its chat ID alone (15)',
						validation: [
							{
								type: 'regex',
								properties: {
									regex: '^(?:chat)?[1-9]\\d*$',
									errorMessage: 'Dialog: use chat123 or a chat ID such as 15',
								},
							},
						],
					}
				: mode,
		),
	},
	usersProperty(
		showForAddUsers,
		'People to add. When all of them are already in the chat, the item succeeds and lists them in alreadyMembers.',
		true,
	),
	optionsProperty(showForAddUsers, transportOptions),
];

const addUsersSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const chatId = readGroupChatId(context, itemIndex);
		const users = readPeople(context, itemIndex, 'users', 'Users', true);
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
	return await runOneCallPerItem(this, addUsersSpec);
}
