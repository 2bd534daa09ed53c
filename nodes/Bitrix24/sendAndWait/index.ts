/**
 * Send and Wait for Response (operation `sendAndWait`): post a question with buttons, pause the
 * workflow until someone answers. The operation is message/sendAndWait.operation.ts; what the node
 * description needs beyond it (webhooks, tooltip, the answer's webhook) lives here, so that
 * Bitrix24.node.ts stays a router.
 */
import { SEND_AND_WAIT_OPERATION } from 'n8n-workflow';
import type { INodeTypeDescription, IWebhookDescription } from 'n8n-workflow';

export { sendAndWaitWebhook } from './webhook';

/**
 * The resume webhooks, as n8n's own send-and-wait nodes declare them: n8n serves them under
 * /webhook-waiting/<execution ID>/<node ID> while the execution waits (restartWebhook).
 */
export const sendAndWaitWebhooks: IWebhookDescription[] = (['GET', 'POST'] as const).map((httpMethod) => ({
	name: 'default',
	httpMethod,
	responseMode: 'onReceived',
	responseData: '',
	path: '={{ $nodeId }}',
	restartWebhook: true,
	isFullPath: true,
}));

/** Shown on the node while the execution waits. */
export const sendAndWaitWaitingTooltip: NonNullable<INodeTypeDescription['waitingNodeTooltip']> =
	`={{ $parameter["operation"] === "${SEND_AND_WAIT_OPERATION}" ? "Execution will continue after someone answers in Bitrix24" : "" }}`;

/** n8n's human-review tool generated from this node (`bitrix24HitlTool`) runs this operation only. */
export function isHumanReviewTool(nodeType: string): boolean {
	return nodeType.endsWith('HitlTool');
}
