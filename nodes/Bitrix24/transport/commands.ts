import { sleep } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { encodeBatchCommand, isBatchEncodable } from './batchCommand';
import { callMethod, classifyOutcome, DEFAULT_CALL_SETTINGS } from './call';
import type { CallSettings } from './call';
import type { Bitrix24Connection, Bitrix24Context } from './connection';
import type { Bitrix24Failure } from './errors';
import { retryDelayMs } from './retryPolicy';

/** Bitrix24 accepts at most 50 commands in one `batch` call. */
export const MAX_BATCH_COMMANDS = 50;

export interface Command {
	/** The input item this command comes from (for errors and pairedItem). */
	itemIndex: number;
	params: IDataObject;
}

export type CommandOutcome = { ok: true; result: unknown } | { ok: false; failure: Bitrix24Failure };

export interface SendOptions extends CallSettings {
	/** Group up to 50 commands per HTTP request through Bitrix24's `batch` method. */
	batching: boolean;
	/**
	 * With continue-on-fail every command is tried; without it the first failure stops the run
	 * and no later command is sent, exactly as sending them one by one would.
	 */
	continueOnFail: boolean;
}

export const DEFAULT_SEND_OPTIONS: SendOptions = {
	...DEFAULT_CALL_SETTINGS,
	batching: true,
	continueOnFail: false,
};

/**
 * Runs `method` once per command, in order, and returns one outcome per command (same order).
 * Without continue-on-fail the returned list stops at the first failure: later commands were not
 * sent and have no outcome.
 */
export async function runCommands(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	commands: Command[],
	options: SendOptions = DEFAULT_SEND_OPTIONS,
): Promise<CommandOutcome[]> {
	if (!options.batching || commands.length === 1) {
		return await runOneByOne(context, connection, method, commands, options);
	}
	return await runBatched(context, connection, method, commands, options);
}

async function runOneByOne(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	commands: Command[],
	options: SendOptions,
): Promise<CommandOutcome[]> {
	const outcomes: CommandOutcome[] = [];
	for (const command of commands) {
		const call = await callMethod(context, connection, method, command.params, options);
		outcomes.push(call.ok ? { ok: true, result: call.body.result } : { ok: false, failure: call.failure });
		if (!call.ok && !options.continueOnFail) break;
	}
	return outcomes;
}

interface BatchAnswer {
	result?: unknown;
	result_error?: unknown;
}

function entryOf(container: unknown, key: string): unknown {
	if (container && typeof container === 'object') return (container as Record<string, unknown>)[key];
	return undefined;
}

async function runBatched(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	commands: Command[],
	options: SendOptions,
): Promise<CommandOutcome[]> {
	const encoded = commands.map((command) => encodeBatchCommand(method, batchSafeParams(command.params)));
	const outcomes: Array<CommandOutcome | undefined> = new Array(commands.length);
	// halt=1 without continue-on-fail: Bitrix24 stops at the first failing command, so nothing
	// after it runs. With continue-on-fail, halt=0 lets every command run in one pass.
	const halt = options.continueOnFail ? 0 : 1;
	/** Indexes still to send, in input order. */
	let pending = commands.map((_, index) => index);
	let refusalAttempt = 0;
	let refusalWaitMs = 0;
	const stopAt = (index: number, failure: Bitrix24Failure): CommandOutcome[] => {
		outcomes[index] = { ok: false, failure };
		return outcomes.slice(0, index + 1) as CommandOutcome[];
	};

	while (pending.length > 0) {
		const chunk = pending.slice(0, MAX_BATCH_COMMANDS);
		const cmd: Record<string, string> = {};
		for (const index of chunk) cmd[`c${index}`] = encoded[index];

		const call = await callMethod(context, connection, 'batch', { halt, cmd }, options);
		if (!call.ok) {
			// The whole request failed: every command in it shares the failure (and, when it is
			// ambiguous, the uncertainty: any of them may have been executed).
			if (!options.continueOnFail) return stopAt(chunk[0], call.failure);
			for (const index of chunk) outcomes[index] = { ok: false, failure: { ...call.failure } };
			pending = pending.slice(chunk.length);
			continue;
		}

		const answer = (call.body.result ?? {}) as BatchAnswer;
		const resend: number[] = [];
		let refusal: { code: string; description: string; body: IDataObject } | undefined;
		for (const index of chunk) {
			const key = `c${index}`;
			const error = entryOf(answer.result_error, key) as IDataObject | undefined;
			if (error && typeof error === 'object') {
				const code = String(error.error || 'UNKNOWN_ERROR');
				const description = typeof error.error_description === 'string' ? error.error_description : '';
				const verdict = classifyOutcome({ kind: 'api-error', status: 200, code, description, body: error });
				if (verdict === 'retry-rate-limit' || verdict === 'retry-operation-limit') {
					// Refused, not executed: send it again later, keeping the input order.
					refusal = { code, description, body: error };
					resend.push(index);
					continue;
				}
				if (!options.continueOnFail) return stopAt(index, { code, description });
				outcomes[index] = { ok: false, failure: { code, description } };
				continue;
			}
			const result = entryOf(answer.result, key);
			if (result === undefined) {
				// Not run (halt stopped before it, or the portal skipped it): send it again.
				resend.push(index);
				continue;
			}
			outcomes[index] = { ok: true, result };
		}

		if (resend.length === chunk.length && !refusal) {
			// The portal ran nothing and reported nothing: fail instead of looping on a broken answer.
			const failure: Bitrix24Failure = {
				code: 'BATCH_EMPTY_ANSWER',
				description: 'Bitrix24 answered the batch without a result for these commands',
				deliveryUnknown: true,
			};
			if (!options.continueOnFail) return stopAt(chunk[0], failure);
			for (const index of chunk) outcomes[index] = { ok: false, failure: { ...failure } };
			pending = pending.slice(chunk.length);
			continue;
		}
		pending = [...resend, ...pending.slice(chunk.length)];

		if (refusal) {
			const verdict = refusal.code === 'OPERATION_TIME_LIMIT' ? 'retry-operation-limit' : 'retry-rate-limit';
			const delayMs = retryDelayMs(refusalAttempt++, verdict, {
				operatingResetAt: operatingResetAtOf(call.body, refusal.body),
				nowMs: Date.now(),
			});
			if (refusalWaitMs + delayMs > options.maxRetryWaitMs) {
				const failure: Bitrix24Failure = {
					code: refusal.code,
					description: `${refusal.description} (still refused after waiting ${Math.round(refusalWaitMs / 1000)} s)`,
				};
				if (!options.continueOnFail) return stopAt(pending[0], failure);
				for (const index of pending) outcomes[index] = { ok: false, failure: { ...failure } };
				break;
			}
			refusalWaitMs += delayMs;
			await sleep(delayMs);
		} else {
			// A batch went through unrefused: that refusal is over, and the next one gets the whole
			// budget again, as every call does when sending one by one. Without this, a long run
			// with a few separate 429s would fail once their waits added up to maxRetryWait.
			refusalAttempt = 0;
			refusalWaitMs = 0;
		}
	}
	return outcomes as CommandOutcome[];
}

/**
 * A batch command is a PHP query string, which cannot carry everything JSON can (an empty list
 * or object vanishes, some keys are rewritten). Bitrix24 also accepts ATTACH, KEYBOARD and MENU
 * as JSON text, so a command that the query form would alter sends those as JSON instead.
 */
function batchSafeParams(params: IDataObject): IDataObject {
	if (isBatchEncodable(params)) return params;
	const safe: IDataObject = { ...params };
	for (const [key, value] of Object.entries(params)) {
		if (value !== null && typeof value === 'object') safe[key] = JSON.stringify(value);
	}
	return safe;
}

function operatingResetAtOf(batchBody: IDataObject, errorBody: IDataObject): number | undefined {
	for (const source of [errorBody, batchBody]) {
		const time = source.time as IDataObject | undefined;
		const resetAt = Number(time?.operating_reset_at);
		if (Number.isFinite(resetAt) && resetAt > 0) return resetAt;
	}
	return undefined;
}
