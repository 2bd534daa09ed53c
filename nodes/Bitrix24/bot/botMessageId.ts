import type { INodeProperties } from 'n8n-workflow';

/** The Message ID field of the bot's message operations: Send Message's `messageId` output fits it. */
export function botMessageIdProperty(operation: string, what: string): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: '={{ $json.messageId }}',
		displayOptions: { show: { resource: ['bot'], operation: [operation] } },
		description: `ID of the message to ${what}`,
	};
}
