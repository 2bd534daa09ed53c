import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readPositiveId } from '../shared/itemInput';
import { runOneCallPerItem } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { messageIdProperty } from '../shared/messageIdField';

const showForDelete = { resource: ['message'], operation: ['delete'] };

export const deleteDescription: INodeProperties[] = [
	messageIdProperty('delete', 'delete'),
	optionsProperty(showForDelete, transportOptions),
];

const deleteSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
		// Not idempotent: a second delete of a deleted message fails (CANT_EDIT_MESSAGE), so a
		// call that may have run is reported, not repeated.
		return { method: 'im.message.delete', params: { MESSAGE_ID: messageId }, idempotent: false };
	},
	output: (_result, call) => ({ messageId: call.params.MESSAGE_ID, deleted: true }),
	uncertainty: 'the message may or may not have been deleted',
};

export async function executeDelete(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, deleteSpec);
}
