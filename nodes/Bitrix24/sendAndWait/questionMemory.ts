/**
 * Which message the question is, carried from the sending half to the webhook. n8n drops the
 * waiting node's output when the execution resumes, so it travels in the execution's custom data
 * (stored with the execution, visible in its details): one key per node, so two questions in one
 * workflow do not mix. Message and dialog IDs are not secrets; the resume link is never stored.
 */
import type { IExecuteFunctions, IWebhookFunctions } from 'n8n-workflow';

export interface QuestionRef {
	messageId: number;
	dialogId: string;
}

/** Custom data keys allow letters, digits and underscores, 50 characters at most. */
function keyFor(nodeId: string): string {
	return `bitrix24Question_${nodeId.replace(/[^A-Za-z0-9]/g, '')}`.slice(0, 50);
}

export function rememberQuestion(context: IExecuteFunctions, question: QuestionRef): void {
	const key = keyFor(context.getNode().id);
	try {
		context.customData.set(key, `${question.messageId} ${question.dialogId}`);
		// n8n keeps at most 10 custom data entries and ignores more without a word.
		if (context.customData.get(key) !== undefined) return;
	} catch {
		// An n8n without custom data in this context: the answer still resumes the workflow.
	}
	context.logger.warn(
		'Bitrix24 Send and Wait: the question message could not be remembered (the execution already holds 10 custom data entries), so it will not be updated after the answer',
	);
}

export function recallQuestion(context: IWebhookFunctions): QuestionRef | undefined {
	try {
		const stored = context.customData.get(keyFor(context.getNode().id));
		const match = typeof stored === 'string' ? /^(\d+) (\S+)$/.exec(stored) : null;
		if (!match) return undefined;
		return { messageId: Number(match[1]), dialogId: match[2] };
	} catch {
		return undefined;
	}
}
