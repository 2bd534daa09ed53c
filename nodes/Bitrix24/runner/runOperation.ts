import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import { readSendOptions, sendOptionsProperty } from './sendOptions';
import { bitrix24CodeOf, callMethod, failureToNodeApiError, resolveConnection, runCommands } from '../transport';
import type { Bitrix24Failure, Command, Outcome, SendOptions } from '../transport';

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

export interface OperationSpec {
	/** Reads and checks one item; throws the error of `invalidInput` naming the field and item. */
	prepare(context: IExecuteFunctions, itemIndex: number): ItemCall;
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
	/** False for calls that must not go through `batch`. */
	batchable?: boolean;
	/**
	 * Bitrix24 may refuse the call by answering `false` instead of an error. `halt` stops a batch
	 * only at an error, so the calls after a `false` would run too: without continue-on-fail such
	 * calls go one by one, and the run stops at the `false` with nothing after it sent. With
	 * continue-on-fail every item gets its output, so they may still share a batch.
	 */
	refusesWithFalse?: boolean;
}

/** A read the operation needs to judge an answer, e.g. who is in a chat. Safe to ask twice. */
export type Lookup = (method: string, params: IDataObject) => Promise<Outcome>;

/** The transport options every operation shares. */
export function transportOptionsProperty(
	show: Record<string, string[]>,
	{ batching, extra = [] }: { batching: boolean; extra?: INodeProperties[] },
): INodeProperties {
	// Long Text belongs to Send alone: only Send splits a text into several messages.
	const shared = (sendOptionsProperty.options as INodeProperties[]).filter(
		(option) => option.name !== 'longText' && (batching || option.name !== 'batching'),
	);
	return {
		...sendOptionsProperty,
		displayOptions: { show },
		options: [...shared, ...extra].sort((a, b) => a.displayName.localeCompare(b.displayName)),
	};
}

export function operationSettings(
	context: IExecuteFunctions,
	continueOnFail: boolean,
	batchable: boolean,
): SendOptions {
	const options = readSendOptions(context, continueOnFail);
	return batchable ? options : { ...options, batching: false };
}

/**
 * An item's failure for continue-on-fail. "Continue (using error output)" routes items by their
 * `error`; plain "Continue" would replace the json of such an item with {error} alone, so there
 * the code travels in the json only. `extra` adds fields to that json.
 */
export function failedItem(
	context: IExecuteFunctions,
	itemIndex: number,
	error: NodeApiError | NodeOperationError,
	extra: IDataObject = {},
): INodeExecutionData {
	const routeToErrorOutput = context.getNode().onError === 'continueErrorOutput';
	return {
		json: { error: error.message, code: bitrix24CodeOf(error) ?? 'INVALID_PARAMETER', ...extra },
		...(routeToErrorOutput ? { error } : {}),
		pairedItem: { item: itemIndex },
	};
}

/** The node error for a failed call, worded for this operation when the outcome is unknown. */
export function operationError(
	context: IExecuteFunctions,
	failure: Bitrix24Failure,
	itemIndex: number,
	uncertainty: string,
	idempotent: boolean,
): NodeApiError {
	if (!failure.deliveryUnknown) return failureToNodeApiError(context.getNode(), failure, itemIndex);
	const why = idempotent
		? 'Bitrix24 did not answer, also when asked again'
		: 'The request may have reached Bitrix24, so it was not sent again';
	return failureToNodeApiError(
		context.getNode(),
		{ ...failure, deliveryUnknown: false, description: `${failure.description}. ${why}: ${uncertainty}` },
		itemIndex,
	);
}

interface Prepared {
	itemIndex: number;
	call: ItemCall;
}

/** Consecutive items that share a method and its retry rule go out together, in input order. */
function segmentsOf(prepared: Prepared[]): Prepared[][] {
	const segments: Prepared[][] = [];
	for (const entry of prepared) {
		const last = segments[segments.length - 1];
		const head = last?.[0]?.call;
		if (head && head.method === entry.call.method && head.idempotent === entry.call.idempotent) last.push(entry);
		else segments.push([entry]);
	}
	return segments;
}

/**
 * Runs a one-call-per-item operation the way Send does: every item is checked before anything is
 * sent, calls keep the input order (batched where allowed), and without continue-on-fail the
 * first failure stops the run with nothing after it sent.
 */
export async function runItemOperation(
	context: IExecuteFunctions,
	spec: OperationSpec,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const continueOnFail = context.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);

	const prepared: Prepared[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			prepared.push({ itemIndex, call: spec.prepare(context, itemIndex) });
		} catch (error) {
			// NodeOperationError hands back the error it is given: this only satisfies the types.
			const invalid = new NodeOperationError(context.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalid;
			output[itemIndex] = failedItem(context, itemIndex, invalid);
		}
	}
	if (prepared.length === 0) return [output.filter((entry) => entry !== undefined)];

	const connection = await resolveConnection(context);
	const settings = operationSettings(context, continueOnFail, spec.batchable !== false);
	const lookup: Lookup = async (method, params) =>
		await callMethod(context, connection, method, params, { ...settings, idempotent: true });
	for (const segment of segmentsOf(prepared)) {
		const { method, idempotent } = segment[0].call;
		let pending = segment;
		while (pending.length > 0) {
			// A `false` answer is no error to the transport, which would go on to the next call: such
			// calls are handed over one at a time, so the answer is judged before the next one goes.
			const oneByOne = spec.refusesWithFalse === true && !continueOnFail;
			const commands: Command[] = (oneByOne ? pending.slice(0, 1) : pending).map(({ itemIndex, call }) => ({
				itemIndex,
				params: call.params,
			}));
			const outcomes = await runCommands(context, connection, method, commands, { ...settings, idempotent });
			for (let position = 0; position < outcomes.length; position++) {
				const { itemIndex, call } = pending[position];
				const outcome = outcomes[position];
				let failure: Bitrix24Failure | undefined;
				if (outcome.ok) {
					try {
						output[itemIndex] = { json: spec.output(outcome.result, call, itemIndex), pairedItem: { item: itemIndex } };
						continue;
					} catch (error) {
						if (!(error instanceof UnexpectedResultError)) {
							throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
						}
						failure = { code: error.code, description: error.message, verdict: 'fatal' };
					}
				} else {
					failure = outcome.failure;
					const settled = await spec.settled?.(failure, call, itemIndex, lookup);
					if (settled) {
						output[itemIndex] = { json: settled, pairedItem: { item: itemIndex } };
						continue;
					}
				}
				const error = operationError(context, failure, itemIndex, spec.uncertainty, idempotent);
				if (!continueOnFail) throw error;
				output[itemIndex] = failedItem(context, itemIndex, error);
			}
			// Without continue-on-fail the transport stops at the first failure; when that failure
			// was settled (the state already held), the rest of the items still have to go.
			pending = pending.slice(outcomes.length);
			if (outcomes.length === 0) break;
		}
	}
	return [output.filter((entry) => entry !== undefined)];
}
