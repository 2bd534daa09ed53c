/**
 * The "assistant" shape as an importable workflow: Bitrix24 Trigger → Bitrix24 Send as a reply,
 * with a fixed answer where the AI Agent would be. Shared by the e2e suite and anyone who wants
 * the smallest working reply loop.
 */
import { credentialReference, linearWorkflow, NODE_TYPE } from './bitrix24Fixtures';
import type { WorkflowFixture, WorkflowFixtureOptions } from './bitrix24Fixtures';

export const TRIGGER_NODE_TYPE = 'n8n-nodes-bitrix24.bitrix24Trigger';
export const TRIGGER_NODE_NAME = 'Bitrix24 Trigger';
export const REPLY_NODE_NAME = 'Send Reply';

export function replyWorkflow(
	options: WorkflowFixtureOptions & {
		reply: string;
		/** The trigger's wait after an empty read; default: the node's (5 s). */
		checkEverySeconds?: number;
		/** Saved as the polling version of the trigger did (with Poll Times): old workflows must still run. */
		savedByPollingVersion?: boolean;
		/** A Wait node before the reply: an execution that takes a while, as an AI agent's does. */
		waitSecondsBeforeReply?: number;
	},
): WorkflowFixture {
	const credentials = credentialReference(options.credential);
	const wait: WorkflowFixture['nodes'] =
		options.waitSecondsBeforeReply === undefined
			? []
			: [
					{
						id: `${options.id}-wait`,
						name: 'Think',
						type: 'n8n-nodes-base.wait',
						typeVersion: 1.1,
						position: [130, 0],
						parameters: { resume: 'timeInterval', amount: options.waitSecondsBeforeReply, unit: 'seconds' },
					},
				];
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
		...wait,
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
				dialogId: { __rl: true, mode: 'id', value: `={{ $('${TRIGGER_NODE_NAME}').item.json.dialogId }}` },
				message: options.reply,
				additionalFields: { replyId: `={{ $('${TRIGGER_NODE_NAME}').item.json.messageId }}` },
				options: {},
			},
			credentials,
		},
	]);
}

/** One call the portal received, as far as the confirmation order needs it. */
export interface LoggedCall {
	method: string;
	params: Record<string, unknown>;
}

/**
 * Where, in the order the portal received calls, the reply to `questionId` was posted and where
 * the question's event (`eventId`) was first confirmed (a read with an offset above it). The
 * trigger must confirm only after the execution finished, so after the reply.
 */
export function confirmationOrder(
	calls: LoggedCall[],
	questionId: number,
	eventId: number,
): { replyAt: number; confirmedAt: number } {
	const replyAt = calls.findIndex(
		(call) => call.method === 'im.message.add' && Number(call.params.REPLY_ID) === questionId,
	);
	const confirmedAt = calls.findIndex(
		(call) => call.method === 'im.v2.event.get' && Number(call.params.offset) > eventId,
	);
	return { replyAt, confirmedAt };
}
