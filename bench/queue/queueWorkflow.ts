/**
 * The benchmark's workflow: a production Webhook trigger → N generated items → Bitrix24 Send.
 * Each webhook call carries a run number, which goes into every message text, so the portal's
 * store shows which message of which execution arrived, and how many times.
 */
import { randomUUID } from 'node:crypto';

import { sendMessageWorkflow } from '../../scripts/lib/bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';

export const WEBHOOK_PATH = 'bitrix24-queue-bench';
const WEBHOOK_NODE_NAME = 'Webhook';

export function messageText(run: number, index: number): string {
	return `run ${run} message ${index}`;
}

export function queueBenchWorkflow(id: string, credential: CredentialFixture, messagesPerRun: number): WorkflowFixture {
	const workflow = sendMessageWorkflow({
		id,
		name: 'Bitrix24 queue-mode benchmark',
		credential,
		dialogId: 'chat1',
		message: `={{ 'run ' + $('${WEBHOOK_NODE_NAME}').first().json.body.run + ' message ' + $json.index }}`,
		generatedItemCount: messagesPerRun,
	});
	const manualTrigger = workflow.nodes[0];
	const webhook = {
		id: `${id}-webhook`,
		name: WEBHOOK_NODE_NAME,
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: manualTrigger.position,
		// A production webhook is registered under this id when the workflow is published.
		webhookId: randomUUID(),
		parameters: { httpMethod: 'POST', path: WEBHOOK_PATH, responseMode: 'onReceived', options: {} },
	};
	workflow.nodes[0] = webhook;
	workflow.connections[WEBHOOK_NODE_NAME] = workflow.connections[manualTrigger.name];
	delete workflow.connections[manualTrigger.name];
	return workflow;
}
