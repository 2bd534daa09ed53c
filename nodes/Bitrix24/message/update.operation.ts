import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidInput, readPositiveId } from '../shared/itemInput';
import { runOneCallPerItem } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { messageIdProperty } from '../shared/messageIdField';
import { readRichFields, readRichFieldValues, richFieldProperties } from '../rich/richFields';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';
import { MAX_MESSAGE_CHARACTERS } from '../text/longText';
import { characterCount, textAfterServerRules } from '../shared/serverText';
import { additionalFieldsProperty } from '../shared/additionalFields';

const showForUpdate = { resource: ['message'], operation: ['update'] };

export const updateDescription: INodeProperties[] = [
	messageIdProperty('update', 'change'),
	// As in Send: the format sits above the text it describes.
	messageFormatProperty(showForUpdate, 'the new text'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: { show: showForUpdate },
		placeholder: 'Deploy [b]finished[/b] ✓',
		description:
			'The new text, in the format chosen above, at most 20,000 characters. Leave empty to keep the current text: a text Bitrix24 would turn into nothing (such as [br] alone) is refused rather than deleting the message (use Delete for that).',
	},
	...richFieldProperties({ displayOptions: { show: showForUpdate }, allowRemove: true }),
	additionalFieldsProperty(showForUpdate, [
		{
			displayName: 'Mark as Edited',
			name: 'isEdited',
			type: 'boolean',
			default: true,
			description:
				'Whether Bitrix24 shows the "edited" mark (IS_EDITED). Bitrix24 may show it anyway when the text changes.',
		},
		{
			displayName: 'URL Preview',
			name: 'urlPreview',
			type: 'boolean',
			default: true,
			description: 'Whether Bitrix24 turns links in the text into rich previews (URL_PREVIEW)',
		},
	]),
	optionsProperty(showForUpdate, transportOptions),
];

const updateSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
		const message = readMessageText(context, itemIndex);
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

		const params: IDataObject = { MESSAGE_ID: messageId };
		// Empty text here means "keep the text", so MESSAGE is then left out entirely.
		if (message.trim() !== '') {
			// Bitrix24 deletes a message whose new text is empty by its own rules ([br] becomes a line
			// break, then PHP's trim, NUL included), so such a text never goes out as an edit.
			if (textAfterServerRules(message) === '') {
				throw invalidInput(
					context,
					itemIndex,
					'Message',
					'Bitrix24 turns [br] into a line break and trims the text; nothing would be left, and Bitrix24 deletes a message whose new text is empty. Use the Delete operation to remove a message, or leave Message empty to keep the current text',
				);
			}
			const length = characterCount(message);
			if (length > MAX_MESSAGE_CHARACTERS) {
				throw invalidInput(
					context,
					itemIndex,
					'Message',
					`the text is ${length} characters long; Bitrix24 keeps only the first ${MAX_MESSAGE_CHARACTERS} of an edit, adds " (...)" and reports success. Shorten it`,
				);
			}
			params.MESSAGE = message;
		}
		Object.assign(
			params,
			readRichFields(readRichFieldValues(context, itemIndex), (label, problem) => {
				throw invalidInput(context, itemIndex, label, problem);
			}),
		);
		if (fields.urlPreview !== undefined) params.URL_PREVIEW = fields.urlPreview ? 'Y' : 'N';
		if (fields.isEdited !== undefined) params.IS_EDITED = fields.isEdited ? 'Y' : 'N';
		const changes = ['MESSAGE', 'ATTACH', 'KEYBOARD', 'MENU', 'URL_PREVIEW'].filter((key) => params[key] !== undefined);
		if (changes.length === 0) {
			throw invalidInput(
				context,
				itemIndex,
				'Message',
				'nothing to change: the text is empty (which keeps the current text) and no attachment, keyboard, menu or URL preview is set',
			);
		}
		// Setting the same content twice leaves the same message: a lost answer is asked again.
		return { method: 'im.message.update', params, idempotent: true };
	},
	output: (_result, call) => ({
		messageId: call.params.MESSAGE_ID,
		updated: true,
		...escapedBbCodeNote(call.params.MESSAGE),
	}),
	uncertainty: 'the message may or may not have been changed',
};

export async function executeUpdate(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, updateSpec);
}
