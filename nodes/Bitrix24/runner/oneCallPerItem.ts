import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callMethod, runCommands } from '../transport';
import type { Bitrix24Failure, Command, Outcome } from '../transport';
import { callFailureError } from './itemErrors';
import { transportOptions } from './options';
import { itemNodeError, runPipeline } from './pipeline';
import type { ItemOperation, PreparedItem } from './pipeline';

/** One item's Bitrix24 call. */
export interface ItemCall {
	method: string;
	params: IDataObject;
	/**
	 * The call may run twice without harm (a read, or setting a fixed state), so a call whose
	 * answer was lost is sent again. Everything else is resent only when Bitrix24 cannot have run it.
	 */
	idempotent: boolean;
}

/** Thrown by `output` when Bitrix24 answered, but not with what the operation needs. */
export class UnexpectedResultError extends Error {
	constructor(
		readonly code: string,
		description: string,
	) {
		super(description);
	}
}

/** A read the operation needs to judge an answer, e.g. who is in a chat. Safe to ask twice. */
export type Lookup = (method: string, params: IDataObject) => Promise<Outcome>;

/** An operation that makes one Bitrix24 call per item. `Resolved` is what a resolve stage found (the bot). */
export interface OperationSpec<Resolved = undefined> {
	/** Reads and checks one item; throws the error of `invalidInput` naming the field and item. */
	prepare(context: IExecuteFunctions, itemIndex: number, resolved: Resolved): ItemCall;
	/** The item's output json from Bitrix24's `result`. */
	output(result: unknown, call: ItemCall, itemIndex: number): IDataObject;
	/**
	 * An error that means the wanted state already holds (e.g. WITHOUT_CHANGES for a like): its
	 * output. `lookup` reads from the portal (through the same engine) when the error alone cannot tell.
	 */
	settled?(
		failure: Bitrix24Failure,
		call: ItemCall,
		itemIndex: number,
		lookup: Lookup,
	): IDataObject | undefined | Promise<IDataObject | undefined>;
	/** What an unanswered call leaves open, e.g. "the message may or may not have been deleted". */
	uncertainty: string;
	/**
	 * Bitrix24 may refuse the call by answering `false` instead of an error. `halt` stops a batch
	 * only at an error, so the calls after a `false` would run too: without continue-on-fail such
	 * calls go one by one, and the run stops at the `false` with nothing after it sent. With
	 * continue-on-fail every item gets its output, so they may still share a batch.
	 */
	refusesWithFalse?: boolean;
}

/** Consecutive items that share a method and its retry rule go out together, in input order. */
function segmentsOf(prepared: Array<PreparedItem<ItemCall>>): Array<Array<PreparedItem<ItemCall>>> {
	const segments: Array<Array<PreparedItem<ItemCall>>> = [];
	for (const entry of prepared) {
		const last = segments[segments.length - 1];
		const head = last?.[0]?.job;
		if (head && head.method === entry.job.method && head.idempotent === entry.job.idempotent) last.push(entry);
		else segments.push([entry]);
	}
	return segments;
}

/**
 * The prepare and send stages of a one-call-per-item operation: calls keep the input order
 * (batched where the options allow), and without continue-on-fail the first failure stops the
 * run with nothing after it sent.
 */
export function oneCallPerItem<Resolved = undefined>(
	spec: OperationSpec<Resolved>,
): Pick<ItemOperation<ItemCall, Resolved>, 'prepare' | 'send'> {
	return {
		prepare: (run, itemIndex, resolved) => spec.prepare(run.context, itemIndex, resolved),
		async send(run, prepared, report) {
			const { context, continueOnFail } = run;
			const connection = await run.connection();
			const settings = run.settings();
			const lookup: Lookup = async (method, params) =>
				await callMethod(context, connection, method, params, { ...settings, idempotent: true });
			for (const segment of segmentsOf(prepared)) {
				const { method, idempotent } = segment[0].job;
				let pending = segment;
				while (pending.length > 0) {
					// A `false` answer is no error to the transport, which would go on to the next call: such
					// calls are handed over one at a time, so the answer is judged before the next one goes.
					const oneByOne = spec.refusesWithFalse === true && !continueOnFail;
					const commands: Command[] = (oneByOne ? pending.slice(0, 1) : pending).map(({ itemIndex, job }) => ({
						itemIndex,
						params: job.params,
					}));
					const outcomes = await runCommands(context, connection, method, commands, { ...settings, idempotent });
					for (let position = 0; position < outcomes.length; position++) {
						const { itemIndex, job: call } = pending[position];
						const outcome = outcomes[position];
						let failure: Bitrix24Failure | undefined;
						if (outcome.ok) {
							let json: IDataObject | undefined;
							try {
								json = spec.output(outcome.result, call, itemIndex);
							} catch (error) {
								if (!(error instanceof UnexpectedResultError)) throw itemNodeError(context, error, itemIndex);
								failure = { code: error.code, description: error.message, verdict: 'fatal' };
							}
							if (json) {
								report.succeeded(itemIndex, json);
								continue;
							}
						} else {
							failure = outcome.failure;
							const settled = await spec.settled?.(failure, call, itemIndex, lookup);
							if (settled) {
								report.succeeded(itemIndex, settled);
								continue;
							}
						}
						report.failed(
							itemIndex,
							callFailureError(context, failure as Bitrix24Failure, itemIndex, spec.uncertainty, idempotent),
						);
					}
					// Without continue-on-fail the transport stops at the first failure; when that failure
					// was settled (the state already held), the rest of the items still have to go.
					pending = pending.slice(outcomes.length);
					if (outcomes.length === 0) break;
				}
			}
		},
	};
}

/** Runs an operation of one call per item, with the transport options (Batching included). */
export async function runOneCallPerItem(context: IExecuteFunctions, spec: OperationSpec) {
	return await runPipeline(context, { options: transportOptions, ...oneCallPerItem(spec) });
}
