import type { IDataObject } from 'n8n-workflow';

import { envelopeFailure, operatingResetAtOf } from './answer';
import type { Answer } from './answer';
import { failureOf, statusOf } from './errors';
import type { Bitrix24Failure } from './errors';

/** What one request said about one of its commands. */
export type CommandAnswer =
	/** `body`: the whole envelope of a single call (list methods put `next` and `total` there). */
	| { kind: 'result'; result: unknown; body?: IDataObject }
	| { kind: 'failure'; failure: Bitrix24Failure }
	/** Known not to have run (after a reported error under halt=1): safe to send again. */
	| { kind: 'not-run' };

function entryOf(container: unknown, key: string): unknown {
	if (container && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, key)) {
		return (container as Record<string, unknown>)[key];
	}
	return undefined;
}

/** A single call's answer: its `result`, or its failure. */
export function readSingleAnswer(answer: Answer): CommandAnswer {
	return answer.ok
		? { kind: 'result', result: answer.body.result, body: answer.body }
		: { kind: 'failure', failure: answer.failure };
}

/**
 * A batch answer, per command. A failed request (refused, uncertain, fatal) is every command's
 * failure. Otherwise each command has a result, an error, or nothing: nothing is proof that it
 * did not run only after a reported error (halt=1 stopped there); any other gap is an uncertain
 * delivery, never a reason to send it again.
 */
export function readBatchAnswer(answer: Answer, keys: readonly string[]): CommandAnswer[] {
	if (!answer.ok) return keys.map(() => ({ kind: 'failure', failure: answer.failure }));
	const sections = answer.body.result as IDataObject | undefined;
	let halted = false;
	return keys.map((key): CommandAnswer => {
		const error = entryOf(sections?.result_error, key);
		if (error !== null && typeof error === 'object') {
			halted = true;
			const envelope = error as IDataObject;
			const code = String(envelope.error || 'UNKNOWN_ERROR');
			// A command's error has no status of its own: the documented one gives the same verdict
			// and message as sending it alone. Its own result_time says when its method resets.
			const documentedStatus = statusOf({ code, description: '' });
			const failure = envelopeFailure(documentedStatus ?? 200, envelope, {
				operatingResetAt: operatingResetAtOf(entryOf(sections?.result_time, key)),
			});
			if (documentedStatus === undefined) delete failure.httpStatus;
			return { kind: 'failure', failure };
		}
		const result = entryOf(sections?.result, key);
		if (result !== undefined) return { kind: 'result', result };
		if (halted) return { kind: 'not-run' };
		return {
			kind: 'failure',
			failure: failureOf({
				code: 'BATCH_ANSWER_INCOMPLETE',
				description: 'Bitrix24 answered the batch without a result or an error for this message',
				verdict: 'ambiguous',
			}),
		};
	});
}
