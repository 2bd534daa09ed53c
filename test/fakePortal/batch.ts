/** The batch method: up to 50 "method?query" sub-calls in one HTTP request. */
import { phpArrayToJson, RestError, timeBlock, isRecord } from './envelope';
import { emptyBatchSoFar, substituteReferences } from './batchReferences';
import { parsePhpQuery } from './phpQuery';

export const MAX_BATCH_COMMANDS = 50;

export interface BatchCommand {
	key: string;
	method: string;
	query: string;
}

export type SubCallResult =
	| { ok: true; result: unknown; total?: number; next?: number }
	| { ok: false; error: RestError };

/** Normalises a method name the way the router does: lower case, no ".json" suffix. */
export function normaliseMethod(name: string): string {
	return name
		.trim()
		.replace(/\.json$/i, '')
		.toLowerCase();
}

/**
 * `cmd` as an object (keys kept) or an array (keys '0', '1', ...). Each value is
 * "method?query-string"; the query is decoded with PHP rules, like Bitrix24 does.
 * (JSON objects with integer-like keys are iterated in JS order, integer keys first.)
 */
export function readBatchCommands(cmd: unknown): BatchCommand[] {
	let entries: Array<[string, unknown]> = [];
	if (Array.isArray(cmd)) entries = cmd.map((value, index) => [String(index), value]);
	else if (isRecord(cmd)) entries = Object.entries(cmd);
	return entries.map(([key, value]) => {
		const text = typeof value === 'string' ? value : '';
		const question = text.indexOf('?');
		return {
			key,
			method: normaliseMethod(question < 0 ? text : text.slice(0, question)),
			query: question < 0 ? '' : text.slice(question + 1),
		};
	});
}

/** PHP's loose truthiness, which is how the batch reads `halt` ('0' and '' are false, 'N' is true). */
export function phpTruthy(value: unknown): boolean {
	if (value === undefined || value === null || value === false || value === '' || value === '0' || value === 0)
		return false;
	if (Array.isArray(value)) return value.length > 0;
	return true;
}

export interface BatchRunner {
	(method: string, params: Record<string, unknown>): SubCallResult;
}

/**
 * Runs the commands in order. With halt, the first failure stops the batch and later commands are
 * absent from every section. Sections are PHP arrays, so they are encoded the way json_encode does:
 * a list (keys 0..n-1, e.g. an array cmd without failures) is a JSON array, anything else an
 * object, and an empty section is [] (real Bitrix24 answers "result_error":[] when nothing failed).
 */
export function runBatch(
	commands: BatchCommand[],
	halt: boolean,
	runSubCall: BatchRunner,
	refuseNested: (command: BatchCommand) => void,
	maxInputVars?: number,
): { body: Record<string, unknown> } {
	const results: Array<[string, unknown]> = [];
	const errors: Array<[string, unknown]> = [];
	const totals: Array<[string, unknown]> = [];
	const nexts: Array<[string, unknown]> = [];
	const times: Array<[string, unknown]> = [];
	// Earlier commands' data, for the reference substitution of later ones.
	const soFar = emptyBatchSoFar();
	for (const command of commands) {
		const startedAtMs = Date.now();
		let outcome: SubCallResult;
		if (command.method === 'batch') {
			refuseNested(command);
			outcome = {
				ok: false,
				error: new RestError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage'),
			};
		} else {
			const decoded = parsePhpQuery(command.query, maxInputVars ? { maxInputVars } : {});
			outcome = runSubCall(command.method, substituteReferences(decoded, soFar));
		}
		// A refused command's own time entry says when its method's operating time resets.
		const resetAtMs = outcome.ok ? undefined : outcome.error.operatingResetAtMs;
		const time = timeBlock(startedAtMs, resetAtMs);
		times.push([command.key, time]);
		soFar.time[command.key] = time;
		if (outcome.ok) {
			results.push([command.key, outcome.result]);
			soFar.result[command.key] = outcome.result;
			if (outcome.total !== undefined) totals.push([command.key, outcome.total]);
			if (outcome.total !== undefined) soFar.total[command.key] = outcome.total;
			if (outcome.next !== undefined) nexts.push([command.key, outcome.next]);
			if (outcome.next !== undefined) soFar.next[command.key] = outcome.next;
		} else {
			const error = { error: outcome.error.code, error_description: outcome.error.description };
			errors.push([command.key, error]);
			soFar.error[command.key] = error;
			if (halt) break;
		}
	}
	return {
		body: {
			result: phpArrayToJson(results),
			result_error: phpArrayToJson(errors),
			result_total: phpArrayToJson(totals),
			result_next: phpArrayToJson(nexts),
			result_time: phpArrayToJson(times),
		},
	};
}
