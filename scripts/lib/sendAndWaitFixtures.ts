/**
 * Send and Wait for Response as an active workflow: a Webhook trigger starts it, the Bitrix24
 * node asks in chat1 and waits, and a Report node posts what the wait produced into chat2, so
 * the answer can be read back from the portal. Used by the e2e suite.
 */
import { credentialReference, linearWorkflow, NODE_TYPE } from './bitrix24Fixtures';
import type { WorkflowFixture, WorkflowFixtureOptions, WorkflowNode } from './bitrix24Fixtures';

export const ASK_NODE_NAME = 'Ask for Approval';
export const QUESTION_DIALOG = 'chat1';
export const REPORT_DIALOG = 'chat2';

export function approvalWorkflow(
	options: WorkflowFixtureOptions & {
		/** The production webhook path that starts a run: GET /webhook/<path>?run=<label>. */
		path: string;
		/** Options → Limit Wait Time, in minutes; none when absent. */
		limitMinutes?: number;
	},
): WorkflowFixture {
	const credentials = credentialReference(options.credential);
	const trigger = {
		id: `${options.id}-webhook`,
		name: 'Webhook',
		type: 'n8n-nodes-base.webhook',
		typeVersion: 2,
		position: [0, 0],
		webhookId: `${options.id}-webhook-id`,
		parameters: { httpMethod: 'GET', path: options.path, responseMode: 'onReceived', options: {} },
	} as WorkflowNode;
	const ask: WorkflowNode = {
		id: `${options.id}-ask`,
		name: ASK_NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [260, 0],
		parameters: {
			authentication: 'webhook',
			resource: 'message',
			operation: 'sendAndWait',
			dialogId: { __rl: true, mode: 'id', value: QUESTION_DIALOG },
			message: '=Refund order {{ $json.query.run }}?',
			responseType: 'approval',
			approvalOptions: { values: { approvalType: 'double' } },
			options:
				options.limitMinutes === undefined
					? {}
					: {
							limitWaitTime: {
								values: { limitType: 'afterTimeInterval', resumeAmount: options.limitMinutes, resumeUnit: 'minutes' },
							},
						},
		},
		credentials,
	};
	const report: WorkflowNode = {
		id: `${options.id}-report`,
		name: 'Report',
		type: NODE_TYPE,
		typeVersion: 1,
		position: [520, 0],
		parameters: {
			authentication: 'webhook',
			resource: 'message',
			operation: 'send',
			dialogId: { __rl: true, mode: 'id', value: REPORT_DIALOG },
			message: `={{ $('Webhook').item.json.query.run }}: approved={{ $json.data ? $json.data.approved : 'no answer' }} messageId={{ $json.messageId ?? 'none' }}`,
			additionalFields: {},
			options: {},
		},
		credentials,
	};
	return linearWorkflow(options.id, options.name, [trigger, ask, report]);
}
