import type { INodeProperties } from 'n8n-workflow';

/** The Message ID field of Update, Delete and React (and the bot's): Send's `messageId` output fits it. */
export function messageIdProperty(operation: string, what: string, resource = 'message'): INodeProperties {
	return {
		displayName: 'Message ID',
		name: 'messageId',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. 1234 or {{ $json.messageId }}',
		displayOptions: { show: { resource: [resource], operation: [operation] } },
		description: `ID of the message to ${what}: the messageId that Send outputs, or the ID from Get Many`,
	};
}
