/** The ready-made credential and sample workflow `npm start` and `npm run demo` give a newcomer. */
import { sendMessageWorkflow, webhookCredential } from './bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from './bitrix24Fixtures';

export const DEMO_CREDENTIAL_ID = 'b24DemoPortalCrd';
export const DEMO_CREDENTIAL_NAME = 'Bitrix24 (local demo portal)';
export const DEMO_WORKFLOW_ID = 'b24DemoSendMsg01';
export const DEMO_WORKFLOW_NAME = 'Send a Bitrix24 chat message';
export const DEMO_DIALOG_ID = 'chat1';
export const DEMO_MESSAGE =
	'[b]Hello from n8n![/b]\nThis message was sent by the [i]n8n-nodes-bitrix24[/i] community node through an inbound webhook.';

export function demoCredential(webhookUrl: string): CredentialFixture {
	return webhookCredential(DEMO_CREDENTIAL_ID, DEMO_CREDENTIAL_NAME, webhookUrl);
}

export function demoWorkflow(credential: CredentialFixture): WorkflowFixture {
	return sendMessageWorkflow({
		id: DEMO_WORKFLOW_ID,
		name: DEMO_WORKFLOW_NAME,
		credential,
		dialogId: DEMO_DIALOG_ID,
		message: DEMO_MESSAGE,
		additionalFields: {
			keyboard: { content: { mode: 'json', json: JSON.stringify([{ TEXT: 'n8n docs', LINK: 'https://docs.n8n.io' }]) } },
		},
	});
}
