import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { dialogIdProperty } from '../shared/dialogIdField';
import { readDialogIdField } from '../shared/itemInput';
import { runOneCallPerItem, UnexpectedResultError } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { isJsonObject } from '../shared/jsonValue';

const showForGet = { resource: ['chat'], operation: ['get'] };

export const chatGetDescription: INodeProperties[] = [
	{
		...dialogIdProperty,
		displayOptions: { show: showForGet },
		description: 'The chat to describe: chat123 (group chat), sg123 (workgroup chat) or a user ID (private chat)',
	},
	optionsProperty(showForGet, transportOptions),
];

const numberOrNull = (value: unknown) => (value === undefined || value === null || value === '' ? null : Number(value));

const getSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const dialogId = readDialogIdField(context, itemIndex);
		return { method: 'im.dialog.get', params: { DIALOG_ID: dialogId }, idempotent: true };
	},
	output(result, call) {
		if (!isJsonObject(result)) {
			throw new UnexpectedResultError(
				'CHAT_NOT_FOUND',
				`Bitrix24 answered ${JSON.stringify(result)} instead of the chat`,
			);
		}
		const chat = result;
		const users = Array.isArray(chat.users) ? chat.users.length : undefined;
		return {
			chatId: numberOrNull(chat.id),
			dialogId: String(chat.dialog_id ?? call.params.DIALOG_ID),
			type: chat.type ?? null,
			title: chat.title ?? chat.name ?? null,
			ownerId: numberOrNull(chat.owner),
			userCount: numberOrNull(chat.user_counter ?? users),
		};
	},
	uncertainty: 'the chat could not be read',
};

export async function executeChatGet(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, getSpec);
}
