import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { dialogIdProperty } from '../shared/dialogIdField';
import { richFieldProperties } from '../rich/richFields';
import { messagePartsPerItem } from '../runner/partsRunner';
import { longTextOption, optionsProperty } from '../runner/options';
import type { OptionsShape } from '../runner/options';
import { runPipeline } from '../runner/pipeline';
import type { ItemOperation } from '../runner/pipeline';
import { sentMessageOutput } from '../shared/sentMessage';
import { escapedBbCodeNote } from '../text/messageFormat';
import { messageTextProperties, readMessageParts } from '../text/messageFields';
import { additionalFieldsProperty } from '../shared/additionalFields';

const showForSend = { show: { resource: ['message'], operation: ['send'] } };

/** The transport options, and Long Text: only Send splits a text into several messages. */
const sendOptions: OptionsShape = { batching: true, extra: [longTextOption] };

export const sendDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: showForSend },
	...messageTextProperties(showForSend.show),
	...richFieldProperties({ displayOptions: showForSend }),
	additionalFieldsProperty(showForSend.show, [
		{
			displayName: 'Reply To Message ID',
			name: 'replyId',
			type: 'number',
			default: 0,
			description: 'Post as a reply to this message (REPLY_ID); it must be in the same chat',
		},
		{
			displayName: 'System Message',
			name: 'system',
			type: 'boolean',
			default: false,
			description: 'Whether to post as a system message (SYSTEM), shown without an author',
		},
		{
			displayName: 'URL Preview',
			name: 'urlPreview',
			type: 'boolean',
			default: true,
			description: 'Whether Bitrix24 turns links in the text into rich previews (URL_PREVIEW)',
		},
	]),
	optionsProperty(showForSend.show, sendOptions),
];

const sendOperation: ItemOperation<IDataObject[]> = {
	options: sendOptions,
	...messagePartsPerItem({
		method: 'im.message.add',
		prepare: readMessageParts,
		// im.message.add answers the bare ID.
		messageIdOf: Number,
		output(parts, messageIds, connection) {
			const sent = sentMessageOutput(connection.portal, messageIds[0], parts[0]);
			if (parts.length > 1) {
				// A split text: every part's ID, and the text as the parts carried it.
				sent.messageIds = messageIds;
				sent.text = parts.map((part) => String(part.MESSAGE ?? '')).join('\n');
			}
			Object.assign(sent, escapedBbCodeNote(...parts.map((part) => part.MESSAGE)));
			return sent;
		},
	}),
};

export async function executeSend(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPipeline(this, sendOperation);
}
