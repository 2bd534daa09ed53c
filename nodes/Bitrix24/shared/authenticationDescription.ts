import type { INodeCredentialDescription, INodeProperties } from 'n8n-workflow';

/**
 * How a Bitrix24 node authenticates: the same two credentials, chosen by the same field, for the
 * Bitrix24 node and the Bitrix24 Trigger.
 */
export const bitrix24Credentials: INodeCredentialDescription[] = [
	{
		name: 'bitrix24WebhookApi',
		required: true,
		displayOptions: { show: { authentication: ['webhook'] } },
	},
	{
		name: 'bitrix24OAuth2Api',
		required: true,
		displayOptions: { show: { authentication: ['oAuth2'] } },
	},
];

export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'Inbound Webhook', value: 'webhook' },
		{ name: 'OAuth2 (Local or Market Application)', value: 'oAuth2' },
	],
	default: 'webhook',
};
