/**
 * Send and Wait for Response, the sending half: post the question, remember which message it is,
 * and put the execution to wait. The answer arrives through the node's webhook
 * (sendAndWait/webhook.ts). The fields are in sendAndWait/properties.ts, shared with the webhook.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callMethod, DEFAULT_CALL_SETTINGS, failureToNodeApiError, resolveConnection } from '../transport';
import { rememberQuestion } from '../sendAndWait/questionMemory';
import { questionParams, readQuestion } from '../sendAndWait/question';
import { resumeLinks } from '../sendAndWait/resumeLink';

export { sendAndWaitDescription } from '../sendAndWait/properties';

export async function executeSendAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const question = readQuestion(this);
	const connection = await resolveConnection(this);
	const params = questionParams(question, resumeLinks(this));
	// Not idempotent: a question whose request may have reached Bitrix24 is not posted twice.
	const outcome = await callMethod(this, connection, 'im.message.add', params, {
		...DEFAULT_CALL_SETTINGS,
		idempotent: false,
	});
	if (!outcome.ok) throw failureToNodeApiError(this.getNode(), outcome.failure, 0);
	const messageId = Number(outcome.result);
	rememberQuestion(this, { messageId, dialogId: question.dialogId });

	await this.putExecutionToWait(question.waitTill);
	// What the node passes on when the wait ends without an answer (Limit Wait Time), as n8n's
	// own send-and-wait nodes do; an answer replaces it with the webhook's output.
	return [this.getInputData()];
}
