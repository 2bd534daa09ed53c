/**
 * The ready-made credential and sample workflow `npm start` and `npm run demo` give a newcomer:
 * the "status message" pattern, Send followed by Update.
 */
import { SEND_NODE_NAME, sendMessageWorkflow, webhookCredential } from './bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from './bitrix24Fixtures';
import { appendBitrix24Steps } from './chatLoopFixtures';

export const DEMO_CREDENTIAL_ID = 'b24DemoPortalCrd';
export const DEMO_CREDENTIAL_NAME = 'Bitrix24 (local demo portal)';
export const DEMO_WORKFLOW_ID = 'b24DemoSendMsg01';
export const DEMO_WORKFLOW_NAME = 'Post a Bitrix24 status message, then update it';
export const DEMO_DIALOG_ID = 'chat1';
export const DEMO_MESSAGE =
	'[b]Deploy started[/b] ⏳\nThis message was sent by the [i]n8n-nodes-bitrix24[/i] community node through an inbound webhook.';
/** What the Update node turns the message into: the same message, now saying the job is done. */
export const DEMO_UPDATED_MESSAGE =
	'[b]Deploy finished[/b] ✓\nThe next node updated this message by its ID (Message → Update), the way a job reports its progress.';
export const DEMO_UPDATE_NODE_NAME = 'Update the Status Message';

export function demoCredential(webhookUrl: string): CredentialFixture {
	return webhookCredential(DEMO_CREDENTIAL_ID, DEMO_CREDENTIAL_NAME, webhookUrl);
}

export function demoWorkflow(credential: CredentialFixture): WorkflowFixture {
	const send = sendMessageWorkflow({
		id: DEMO_WORKFLOW_ID,
		name: DEMO_WORKFLOW_NAME,
		credential,
		dialogId: DEMO_DIALOG_ID,
		message: DEMO_MESSAGE,
		richFields: {
			keyboard: {
				content: { mode: 'json', json: JSON.stringify([{ TEXT: 'n8n docs', LINK: 'https://docs.n8n.io' }]) },
			},
		},
	});
	return appendBitrix24Steps(send, SEND_NODE_NAME, credential, [
		{
			name: DEMO_UPDATE_NODE_NAME,
			resource: 'message',
			operation: 'update',
			// Send outputs messageId: the handle for changing that message later.
			parameters: {
				messageId: '={{ $json.messageId }}',
				message: DEMO_UPDATED_MESSAGE,
				additionalFields: {},
				options: {},
			},
		},
	]);
}
