import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readRichFields, readRichFieldValues, richFieldProperties } from '../rich/richFields';
import { invalidInput, readUserIdField } from '../shared/itemInput';
import { runOneCallPerItem, UnexpectedResultError } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { userIdProperty } from '../shared/userIdField';
import { readTextParameter, textOf } from '../shared/textValue';
import { phpTrim } from '../shared/serverText';
import { additionalFieldsProperty } from '../shared/additionalFields';

const showForSend = { resource: ['notification'], operation: ['send'] };

/**
 * Bitrix24 keys notification tags by the application that set them. A webhook has no
 * application, so the documentation asks webhook calls with TAG or SUB_TAG to name one in
 * CLIENT_ID. A fixed value keeps the tags of every run of this node in one namespace: a later
 * notification with the same tag replaces the earlier one, as it does for an application.
 */
export const NOTIFICATION_CLIENT_ID = 'n8n-nodes-bitrix24';

export const notificationSendDescription: INodeProperties[] = [
	userIdProperty(
		showForSend,
		'The person to notify. The list shows people from your recent chats; use By ID for anyone else.',
	),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 3 },
		required: true,
		default: '',
		displayOptions: { show: showForSend },
		description: 'The notification text (BB-code such as [b]bold[/b] works). It appears in the bell, not in a chat.',
	},
	{
		displayName: 'Notification Type',
		name: 'notificationType',
		type: 'options',
		default: 'personal',
		displayOptions: { show: showForSend },
		options: [
			{
				name: 'Personal',
				value: 'personal',
				description: 'From the user behind the credential (im.notify.personal.add)',
			},
			{ name: 'System', value: 'system', description: 'From the system, without a sender (im.notify.system.add)' },
		],
	},
	// The same attachment (builder or JSON) as a chat message.
	...richFieldProperties({ displayOptions: { show: showForSend }, only: ['attach'] }),
	additionalFieldsProperty(showForSend, [
		{
			displayName: 'Sub-Tag',
			name: 'subTag',
			type: 'string',
			default: '',
			description: 'An extra tag without uniqueness (SUB_TAG), e.g. to group notifications',
		},
		{
			displayName: 'Tag',
			name: 'tag',
			type: 'string',
			default: '',
			description: 'A unique tag (TAG): a new notification with the same tag replaces the earlier one, e.g. build-42',
		},
		{
			displayName: 'Text for E-Mail and Push',
			name: 'messageOut',
			type: 'string',
			default: '',
			description: 'The text used outside the portal, in e-mail and push notifications (MESSAGE_OUT)',
		},
	]),
	optionsProperty(showForSend, transportOptions),
];

const notificationSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const userId = readUserIdField(context, itemIndex, 'userId', 'User');
		const message = readTextParameter(context, itemIndex, 'message', 'Message');
		if (phpTrim(message) === '')
			throw invalidInput(context, itemIndex, 'Message', 'the text is empty. Write the notification text');
		const type = context.getNodeParameter('notificationType', itemIndex, 'personal') as string;
		if (type !== 'personal' && type !== 'system') {
			throw invalidInput(context, itemIndex, 'Notification Type', `"${type}" is not personal or system`);
		}
		const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;
		const params: IDataObject = { USER_ID: userId, MESSAGE: message };
		const messageOut = textOf(fields.messageOut, (problem) => {
			throw invalidInput(context, itemIndex, 'Text for E-Mail and Push', problem);
		});
		if (messageOut !== '') params.MESSAGE_OUT = messageOut;
		for (const [name, param, label] of [
			['tag', 'TAG', 'Tag'],
			['subTag', 'SUB_TAG', 'Sub-Tag'],
		] as const) {
			const value = textOf(fields[name], (problem) => {
				throw invalidInput(context, itemIndex, label, problem);
			});
			if (value !== '') params[param] = value;
		}
		const { ATTACH } = readRichFields(readRichFieldValues(context, itemIndex), (label, problem) => {
			throw invalidInput(context, itemIndex, label, problem);
		});
		if (ATTACH !== undefined) params.ATTACH = ATTACH;
		const viaWebhook = context.getNodeParameter('authentication', 0, 'webhook') === 'webhook';
		if (viaWebhook && (params.TAG !== undefined || params.SUB_TAG !== undefined))
			params.CLIENT_ID = NOTIFICATION_CLIENT_ID;
		// A notification sent twice reaches the person twice: not repeated when the answer is lost.
		return { method: `im.notify.${type}.add`, params, idempotent: false };
	},
	output(result, call) {
		const notificationId = Number(result);
		if (result === false || !Number.isSafeInteger(notificationId) || notificationId <= 0) {
			throw new UnexpectedResultError(
				'NOTIFICATION_NOT_CREATED',
				`Bitrix24 did not create the notification (it answered ${JSON.stringify(result)}): check that user ${String(call.params.USER_ID)} exists and is active`,
			);
		}
		return { notificationId, userId: call.params.USER_ID };
	},
	uncertainty: 'the notification may or may not have been sent',
	// An unknown or inactive user gets `false`, not an error.
	refusesWithFalse: true,
};

export async function executeNotificationSend(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, notificationSpec);
}
