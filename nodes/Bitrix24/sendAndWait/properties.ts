/**
 * The editor fields of Send and Wait for Response. Names, types and defaults follow n8n's own
 * send-and-wait nodes (Slack, Telegram, Gmail…): n8n generates the AI agents' human-review tool
 * (`bitrix24HitlTool`) from them, and workflows and habits carry over between those nodes.
 */
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import type { IDisplayOptions, INodeProperties } from 'n8n-workflow';

import { dialogIdProperty } from '../shared/dialogIdField';
import { messageFormatProperty } from '../text/messageFormat';
import { FORM_FIELD_TYPES } from './formFields';

const showForSendAndWait = { resource: ['message'], operation: [SEND_AND_WAIT_OPERATION] };

function shownWhen(extra: IDisplayOptions['show'] = {}): IDisplayOptions {
	return { show: { ...showForSendAndWait, ...extra } };
}

const messageProperty: INodeProperties = {
	displayName: 'Message',
	name: 'message',
	type: 'string',
	typeOptions: { rows: 4 },
	default: '',
	required: true,
	description: 'The question people see in the chat, above the buttons',
};

const limitWaitTimeOption: INodeProperties = {
	displayName: 'Limit Wait Time',
	name: 'limitWaitTime',
	type: 'fixedCollection',
	description:
		'Whether the workflow goes on by itself after this time when nobody answered. It then passes its input on unchanged.',
	default: { values: { limitType: 'afterTimeInterval', resumeAmount: 45, resumeUnit: 'minutes' } },
	options: [
		{
			displayName: 'Values',
			name: 'values',
			values: [
				{
					displayName: 'Limit Type',
					name: 'limitType',
					type: 'options',
					default: 'afterTimeInterval',
					description: 'Go on after an interval, or at a given date and time',
					options: [
						{
							name: 'After Time Interval',
							value: 'afterTimeInterval',
							description: 'Waits for a certain amount of time',
						},
						{ name: 'At Specified Time', value: 'atSpecifiedTime', description: 'Waits until the set date and time' },
					],
				},
				{
					displayName: 'Amount',
					name: 'resumeAmount',
					type: 'number',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					typeOptions: { minValue: 0, numberPrecision: 2 },
					default: 1,
					description: 'The time to wait',
				},
				{
					displayName: 'Unit',
					name: 'resumeUnit',
					type: 'options',
					displayOptions: { show: { limitType: ['afterTimeInterval'] } },
					options: [
						{ name: 'Minutes', value: 'minutes' },
						{ name: 'Hours', value: 'hours' },
						{ name: 'Days', value: 'days' },
					],
					default: 'hours',
					description: 'Unit of the interval value',
				},
				{
					displayName: 'Max Date and Time',
					name: 'maxDateAndTime',
					type: 'dateTime',
					displayOptions: { show: { limitType: ['atSpecifiedTime'] } },
					default: '',
					description: 'Go on at this date and time; it must lie in the future',
				},
			],
		},
	],
};

const updateQuestionOption: INodeProperties = {
	displayName: 'Update Question After Answer',
	name: 'updateQuestion',
	type: 'boolean',
	default: true,
	description:
		'Whether the question is edited once answered: its buttons are removed and a line with the outcome and time (e.g. "✓ Approved") is added. If the edit fails, the workflow still goes on and the failure is logged.',
};

const formOptions: INodeProperties[] = [
	{ displayName: 'Message Button Label', name: 'messageButtonLabel', type: 'string', default: 'Respond' },
	{
		displayName: 'Response Form Title',
		name: 'responseFormTitle',
		description: 'Title of the form that the user can access to provide their response',
		type: 'string',
		default: '',
	},
	{
		displayName: 'Response Form Description',
		name: 'responseFormDescription',
		description: 'Description of the form that the user can access to provide their response',
		type: 'string',
		default: '',
	},
	{ displayName: 'Response Form Button Label', name: 'responseFormButtonLabel', type: 'string', default: 'Submit' },
];

const formFieldsProperties: INodeProperties[] = [
	{
		displayName: 'Define Form',
		name: 'defineForm',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Using Fields Below', value: 'fields' },
			{ name: 'Using JSON', value: 'json' },
		],
		default: 'fields',
	},
	{
		displayName: 'Form Fields',
		name: 'jsonOutput',
		type: 'json',
		typeOptions: { rows: 5 },
		default:
			'[\n  {\n    "fieldLabel": "Name",\n    "placeholder": "enter your name",\n    "requiredField": true\n  },\n  {\n    "fieldLabel": "Amount",\n    "fieldType": "number"\n  }\n]',
		description: `A list of fields as n8n's Form node writes them: fieldLabel, fieldType (${FORM_FIELD_TYPES.join(', ')}), placeholder, requiredField, fieldOptions.values[].option`,
		displayOptions: { show: { defineForm: ['json'] } },
	},
	{
		displayName: 'Form Elements',
		name: 'formFields',
		placeholder: 'Add Form Element',
		type: 'fixedCollection',
		default: {},
		typeOptions: { multipleValues: true, sortable: true },
		displayOptions: { show: { defineForm: ['fields'] } },
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Element Type',
						name: 'fieldType',
						type: 'options',
						default: 'text',
						description: 'The type of field to add to the form',
						options: [
							{ name: 'Checkboxes', value: 'checkbox' },
							{ name: 'Custom Date', value: 'date' },
							{ name: 'Dropdown', value: 'dropdown' },
							{ name: 'Email', value: 'email' },
							{ name: 'Number', value: 'number' },
							{ name: 'Password', value: 'password' },
							{ name: 'Radio Buttons', value: 'radio' },
							{ name: 'Text', value: 'text' },
							{ name: 'Textarea', value: 'textarea' },
						],
						required: true,
					},
					{
						displayName: 'Field Name',
						name: 'fieldLabel',
						type: 'string',
						default: '',
						placeholder: 'e.g. What is your name?',
						description: 'Label that appears above the input field; also the key in the output',
						required: true,
					},
					{
						displayName: 'Field Options',
						name: 'fieldOptions',
						placeholder: 'Add Field Option',
						description: 'List of options that can be selected',
						type: 'fixedCollection',
						default: { values: [{ option: '' }] },
						required: true,
						displayOptions: { show: { fieldType: ['dropdown', 'checkbox', 'radio'] } },
						typeOptions: { multipleValues: true, sortable: true },
						options: [
							{
								displayName: 'Values',
								name: 'values',
								values: [{ displayName: 'Option', name: 'option', type: 'string', default: '' }],
							},
						],
					},
					{
						displayName: 'Placeholder',
						name: 'placeholder',
						type: 'string',
						default: '',
						description: 'Sample text to display inside the field',
						displayOptions: { show: { fieldType: ['text', 'textarea', 'number', 'email', 'password'] } },
					},
					{
						displayName: 'Required Field',
						name: 'requiredField',
						type: 'boolean',
						default: false,
						description: 'Whether to require the user to enter a value for this field before submitting the form',
					},
				],
			},
		],
	},
];

export const sendAndWaitDescription: INodeProperties[] = [
	{
		displayName:
			'Anyone who can read the question and opens one of its buttons answers it: the link in a button is the permission, Bitrix24 does not check who clicks. Post sensitive approvals in a chat whose members may decide.',
		name: 'sendAndWaitNotice',
		type: 'notice',
		default: '',
		displayOptions: shownWhen(),
	},
	{ ...dialogIdProperty, displayOptions: shownWhen() },
	messageFormatProperty(showForSendAndWait, 'the Message text'),
	{
		...messageProperty,
		displayOptions: shownWhen({ messageFormat: ['bbcode'] }),
		placeholder: 'Refund [b]$120[/b] to order 1042?',
		hint: 'BB-code, e.g. [b]bold[/b], [url=https://example.com]link[/url]. One message of at most 20,000 characters.',
	},
	{
		...messageProperty,
		displayOptions: shownWhen({ messageFormat: ['markdown'] }),
		placeholder: 'Refund **$120** to order 1042?',
		hint: 'Markdown, converted to BB-code before sending. One message of at most 20,000 characters.',
	},
	{
		displayName: 'Response Type',
		name: 'responseType',
		type: 'options',
		default: 'approval',
		displayOptions: shownWhen(),
		options: [
			{ name: 'Approval', value: 'approval', description: 'User can approve/disapprove from within the message' },
			{ name: 'Free Text', value: 'freeText', description: 'User can submit a response via a form' },
			{ name: 'Custom Form', value: 'customForm', description: 'User can submit a response via a custom form' },
		],
	},
	...formFieldsProperties.map((property) => ({
		...property,
		displayOptions: {
			show: { ...showForSendAndWait, responseType: ['customForm'], ...(property.displayOptions?.show ?? {}) },
		},
	})),
	{
		displayName: 'Approval Options',
		name: 'approvalOptions',
		type: 'fixedCollection',
		placeholder: 'Add option',
		default: {},
		displayOptions: shownWhen({ responseType: ['approval'] }),
		options: [
			{
				displayName: 'Values',
				name: 'values',
				values: [
					{
						displayName: 'Type of Approval',
						name: 'approvalType',
						type: 'options',
						placeholder: 'Add option',
						default: 'single',
						options: [
							{ name: 'Approve Only', value: 'single' },
							{ name: 'Approve and Disapprove', value: 'double' },
						],
					},
					{
						displayName: 'Approve Button Label',
						name: 'approveLabel',
						type: 'string',
						default: 'Approve',
						displayOptions: { show: { approvalType: ['single', 'double'] } },
					},
					{
						displayName: 'Disapprove Button Label',
						name: 'disapproveLabel',
						type: 'string',
						default: 'Decline',
						displayOptions: { show: { approvalType: ['double'] } },
					},
				],
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: shownWhen({ responseType: ['approval'] }),
		options: [limitWaitTimeOption, updateQuestionOption],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: shownWhen({ responseType: ['freeText', 'customForm'] }),
		options: [...formOptions, limitWaitTimeOption, updateQuestionOption],
	},
];
