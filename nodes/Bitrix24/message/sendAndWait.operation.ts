/**
 * Send and Wait for Response, the sending half: post the question, remember which message it is,
 * and put the execution to wait. The answer arrives through the node's webhook
 * (sendAndWait/webhook.ts). The fields are in sendAndWait/properties.ts, shared with the webhook.
 */
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { callMethod, failureToNodeApiError } from '../transport';
import { runPipeline } from '../runner/pipeline';
import { rememberQuestion } from '../sendAndWait/questionMemory';
import { questionParams, readQuestion } from '../sendAndWait/question';
import type { Question } from '../sendAndWait/question';
import { resumeLinks } from '../sendAndWait/resumeLink';

export { sendAndWaitDescription } from '../sendAndWait/properties';

export async function executeSendAndWait(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	// One question per execution, read from item 0, as n8n's own send-and-wait nodes do. When the
	// wait ends without an answer (Limit Wait Time) the node passes its input on; an answer
	// replaces it with the webhook's output.
	return await runPipeline<Question>(this, {
		oncePerRun: true,
		prepare: (run) => readQuestion(run.context),
		async send(run, [{ itemIndex, job: question }], report) {
			const { context } = run;
			const params = questionParams(question, resumeLinks(context));
			// Not idempotent: a question whose request may have reached Bitrix24 is not posted twice.
			const outcome = await callMethod(context, await run.connection(), 'im.message.add', params, {
				...run.settings(),
				idempotent: false,
			});
			if (!outcome.ok) {
				report.failed(itemIndex, failureToNodeApiError(context.getNode(), outcome.failure, itemIndex));
				return;
			}
			rememberQuestion(context, { messageId: Number(outcome.result), dialogId: question.dialogId });
			await context.putExecutionToWait(question.waitTill);
		},
	});
}
