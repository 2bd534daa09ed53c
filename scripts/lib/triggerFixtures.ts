/**
 * The "assistant" shape as an importable workflow: Bitrix24 Trigger → Bitrix24 Send as a reply,
 * with a fixed answer where the AI Agent would be. Shared by the e2e suite and anyone who wants
 * the smallest working reply loop.
 */
import { credentialReference, linearWorkflow, NODE_TYPE } from './bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from './bitrix24Fixtures';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-bitrix24.bitrix24Trigger';
export const TRIGGER_NODE_NAME = 'Bitrix24 Trigger';
export const REPLY_NODE_NAME = 'Send Reply';

export function replyWorkflow(options: {
	id: string;
	name: string;
	credential: CredentialFixture;
	reply: string;
	/** The trigger's wait after an empty read; default: the node's (5 s). */
	checkEverySeconds?: number;
	/** Saved as the polling version of the trigger did (with Poll Times): old workflows must still run. */
	savedByPollingVersion?: boolean;
}): WorkflowFixture {
	const credentials = credentialReference(options.credential);
	return linearWorkflow(options.id, options.name, [
		{
			id: `${options.id}-trigger`,
			name: TRIGGER_NODE_NAME,
			type: TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication: 'webhook',
				...(options.savedByPollingVersion ? { pollTimes: { item: [{ mode: 'everyMinute' }] } } : {}),
				...(options.checkEverySeconds !== undefined ? { checkEverySeconds: options.checkEverySeconds } : {}),
				events: ['messageAdd'],
				filters: {},
			},
			credentials,
		},
		{
			id: `${options.id}-reply`,
			name: REPLY_NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [260, 0],
			parameters: {
				authentication: 'webhook',
				resource: 'message',
				operation: 'send',
				dialogId: { __rl: true, mode: 'id', value: '={{ $json.dialogId }}' },
				message: options.reply,
				additionalFields: { replyId: '={{ $json.messageId }}' },
				options: {},
			},
			credentials,
		},
	]);
}
