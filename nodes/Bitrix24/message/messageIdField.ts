import type { INodeProperties } from 'n8n-workflow';

/** The Message ID field of Update, Delete and React: Send's `messageId` output fits it. */
export function messageIdProperty(operation: string, what: string): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234 or {{ $json.messageId }}',
		displayOptions: { show: { resource: ['message'], operation: [operation] } },
		description: `ID of the message to ${what}: the messageId that Send outputs, or the ID from Get Many`,
	};
}
