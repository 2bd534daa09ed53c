import type { Outcome } from './answer';
import { NOT_RUN, readBatchAnswer } from './batchAnswer';
import type { Bitrix24Connection, Bitrix24Context } from './connection';
import { failureOf, withBotScope } from './errors';
import type { Bitrix24Failure } from './errors';
import { RATE_PLANS } from './leakyBucket';
import { isBotMethod, pacerForPortal } from './pacer';
import { DEFAULT_REQUEST_TIMEOUT_MS, exchange } from './request';
import { nextRequestUnit } from './requestUnit';
import type { CallParams, Command } from './requestUnit';
import { DEFAULT_MAX_RETRY_WAIT_MS, retryDelayMs } from './retryPolicy';
import { waitUnlessStopped } from './wait';

export type RatePlan = keyof typeof RATE_PLANS;

export interface CallSettings {
	ratePlan: RatePlan;
	/**
	 * The longest one message may wait in total, from the moment the node first tries to send it
	 * until it is answered: pacing under the rate plan, waits after refusals (rate limit, method
	 * time limit, Retry-After) and before reconnecting all count. A wait that would end later fails
	 * the message instead.
	 */
	maxRetryWaitMs: number;
	timeoutMs: number;
	/**
	 * The call can run twice without harm (a read, or setting a fixed state): only then is a call
	 * that may already have run (timeout, dropped connection, 5xx) sent again, a few times.
	 */
	idempotent?: boolean;
	/**
	 * Ends any wait at once when aborted. Executions are stopped through n8n's execution cancel
	 * signal; a trigger's listening loop, which has none, passes the signal its close function aborts.
	 */
	signal?: AbortSignal;
}

export const DEFAULT_CALL_SETTINGS: CallSettings = {
	ratePlan: 'standard',
	maxRetryWaitMs: DEFAULT_MAX_RETRY_WAIT_MS,
	timeoutMs: DEFAULT_REQUEST_TIMEOUT_MS,
};

export interface SendOptions extends CallSettings {
	/** Group up to 50 commands per HTTP request through Bitrix24's `batch` method. */
	batching: boolean;
	/**
	 * With continue-on-fail every command is tried; without it the first failure stops the run
	 * and no later command is sent, exactly as sending them one by one would.
	 */
	continueOnFail: boolean;
}

const STOPPED: Bitrix24Failure = {
	code: 'EXECUTION_STOPPED',
	description: 'The execution was stopped',
	verdict: 'fatal',
};

function isRefusal(failure: Bitrix24Failure): boolean {
	return (
		failure.verdict === 'retry-rate-limit' ||
		failure.verdict === 'retry-operation-limit' ||
		failure.verdict === 'retry-connect'
	);
}

function stillRefused(failure: Bitrix24Failure, waitedMs: number): Bitrix24Failure {
	return {
		...failure,
		description: `${failure.description} (still refused after waiting ${Math.round(waitedMs / 1000)} s)`,
	};
}

function cancelSignalOf(context: Bitrix24Context): AbortSignal | undefined {
	const withSignal = context as { getExecutionCancelSignal?: () => AbortSignal | undefined };
	return typeof withSignal.getExecutionCancelSignal === 'function' ? withSignal.getExecutionCancelSignal() : undefined;
}

/**
 * The one retry engine: runs `method` once per command, in order, and returns one outcome per
 * command (same order). Each request (a command alone, or a chunk through `batch`) goes
 * through the same steps: pace under the portal's rate plan, send, read the answer per command,
 * then for the first command that is not done decide, in one place, whether to wait and resend
 * from it or to fail it. Only what Bitrix24 did not execute is ever resent.
 *
 * Without continue-on-fail the returned list stops at the first failure: later commands were
 * not sent and have no outcome. Stopping the execution ends any wait at once, and the list
 * stops there too.
 */
export async function runCommands(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	commands: readonly Command<CallParams>[],
	options: SendOptions,
): Promise<Outcome[]> {
	const signal = options.signal ?? cancelSignalOf(context);
	const pacer = pacerForPortal(connection.portal, RATE_PLANS[options.ratePlan]);
	const outcomes: Outcome[] = [];
	/** When the node first tried to send each command: the start of its Max Retry Wait. */
	const firstTriedAtMs: number[] = [];
	let next = 0;
	/** Waits in a row for the command at `next`: the growing back-off. */
	let retries = 0;
	/** Commands asked again after an answer that never came: their earlier attempt may have run. */
	const askedAgainAfterLostAnswer = new Set<number>();

	const finish = (position: number, outcome: Outcome): boolean => {
		outcomes[position] = outcome;
		next = position + 1;
		retries = 0;
		return !outcome.ok && (!options.continueOnFail || outcome.failure === STOPPED);
	};

	while (next < commands.length) {
		const unit = nextRequestUnit(method, commands, next, options.batching);
		const startedAtMs = Date.now();
		for (const position of unit.positions) firstTriedAtMs[position] ??= startedAtMs;
		const deadlineMs = (position: number) => firstTriedAtMs[position] + options.maxRetryWaitMs;

		let answers: Array<Outcome | typeof NOT_RUN>;
		const budgetMs = Math.max(0, deadlineMs(next) - startedAtMs);
		const paceMs = pacer.reserveWithin(unit.method, budgetMs);
		if (paceMs === undefined) {
			// Sending now would overflow the portal's bucket (or the bots' lane), and the wait for a
			// slot is longer than the budget: fail without sending (nothing was reserved).
			const failure = failureOf({
				code: 'RATE_PLAN_WAIT_TOO_LONG',
				description: 'Under the rate plan the next request could only go after Max Retry Wait has run out',
				verdict: 'fatal',
			});
			answers = unit.positions.map(() => ({ ok: false, failure }));
		} else if (!(await waitUnlessStopped(paceMs, signal))) {
			finish(next, { ok: false, failure: STOPPED });
			break;
		} else {
			const sentAtMs = Date.now();
			const answer = await exchange(context, connection, unit.method, unit.params, options.timeoutMs);
			if (!answer.ok && answer.failure.verdict === 'retry-rate-limit') pacer.refused(unit.method, sentAtMs);
			else if (answer.ok) pacer.accepted();
			answers = unit.keys ? readBatchAnswer(answer, unit.keys) : [answer];
		}

		let stop = false;
		for (let index = 0; index < unit.positions.length && !stop; index++) {
			const position = unit.positions[index];
			const answer = answers[index];
			if (answer === NOT_RUN) break; // the next request starts from it
			if (answer.ok) {
				finish(position, answer);
				continue;
			}
			let failure = isBotMethod(unit.method) ? withBotScope(answer.failure) : answer.failure;
			const repeatable = options.idempotent === true && failure.verdict === 'ambiguous';
			if (isRefusal(failure) || repeatable) {
				const nowMs = Date.now();
				const delayMs = retryDelayMs(retries, failure.verdict, {
					operatingResetAt: failure.operatingResetAt,
					retryAfterMs: failure.retryAfterMs,
					idempotent: options.idempotent === true,
					nowMs,
				});
				if (Number.isFinite(delayMs) && nowMs + delayMs <= deadlineMs(position)) {
					retries++;
					if (repeatable) askedAgainAfterLostAnswer.add(position);
					if (!(await waitUnlessStopped(delayMs, signal))) stop = finish(position, { ok: false, failure: STOPPED });
					break; // resend from this command: nothing after it ran (halt=1, or the whole request was refused)
				}
				if (!repeatable) failure = stillRefused(failure, nowMs - firstTriedAtMs[position]);
			}
			if (askedAgainAfterLostAnswer.has(position)) failure = { ...failure, afterLostAnswer: true };
			stop = finish(position, { ok: false, failure });
		}
		if (stop) break;
	}
	return outcomes;
}

/**
 * Calls one REST method once, through the same engine (pacing, retries, budget, Stop). On success
 * the outcome's `body` is Bitrix24's whole answer (`result`, `next`, `total`, `time`).
 */
export async function callMethod(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: CallParams,
	settings: CallSettings = DEFAULT_CALL_SETTINGS,
): Promise<Outcome> {
	const [outcome] = await runCommands(context, connection, method, [{ itemIndex: 0, params }], {
		...settings,
		batching: false,
		continueOnFail: false,
	});
	return outcome;
}
