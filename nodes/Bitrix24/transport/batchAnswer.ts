import type { IDataObject } from 'n8n-workflow';

import { envelopeFailure, operatingResetAtOf } from './answer';
import type { Outcome } from './answer';
import { failureOf, statusOf } from './errors';

/** A batch command known not to have run (after a reported error under halt=1): safe to send again. */
export const NOT_RUN = 'not-run';

function entryOf(container: unknown, key: string): unknown {
	if (container && typeof container === 'object' && Object.prototype.hasOwnProperty.call(container, key)) {
		return (container as Record<string, unknown>)[key];
	}
	return undefined;
}

/**
 * A batch answer, per command. A failed request (refused, uncertain, fatal) is every command's
 * failure. Otherwise each command has a result, an error, or nothing: nothing is proof that it
 * did not run only after a reported error (halt=1 stopped there); any other gap is an uncertain
 * delivery, never a reason to send it again.
 */
export function readBatchAnswer(answer: Outcome, keys: readonly string[]): Array<Outcome | typeof NOT_RUN> {
	if (!answer.ok) return keys.map(() => answer);
	const sections = answer.result as IDataObject | undefined;
	let halted = false;
	return keys.map((key): Outcome | typeof NOT_RUN => {
		const error = entryOf(sections?.result_error, key);
		if (error !== null && typeof error === 'object') {
			halted = true;
			const envelope = error as IDataObject;
			const code = String(envelope.error || 'UNKNOWN_ERROR');
			// A command's error has no status of its own: the documented one gives the same verdict
			// and message as sending it alone. Its own result_time says when its method resets.
			const documentedStatus = statusOf({ code });
			const failure = envelopeFailure(documentedStatus ?? 200, envelope, {
				operatingResetAt: operatingResetAtOf(entryOf(sections?.result_time, key)),
			});
			if (documentedStatus === undefined) delete failure.httpStatus;
			return { ok: false, failure };
		}
		const result = entryOf(sections?.result, key);
		if (result !== undefined) return { ok: true, result, body: { result } as IDataObject };
		if (halted) return NOT_RUN;
		return {
			ok: false,
			failure: failureOf({
				code: 'BATCH_ANSWER_INCOMPLETE',
				description: 'Bitrix24 answered the batch without a result or an error for this message',
				verdict: 'ambiguous',
			}),
		};
	});
}
