import { NodeApiError, NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { bitrix24CodeOf, resolveConnection } from '../transport';
import type { Bitrix24Connection } from '../transport';
import { readRunSettings } from './options';
import type { OptionsShape, RunSettings } from './options';

/**
 * The one item pipeline every operation runs in. It walks n8n's input items, decides
 * continue-on-fail and wraps errors; operations only read an item and send what they read.
 *
 *   1. resolve (optional): lookups an item needs before it can be checked, for every item (a bot
 *      code becomes a bot ID). A failure is kept and becomes that item's error in step 2.
 *   2. prepare: every item is read and checked before anything is sent, so bad input never leaves
 *      half a run posted. An error names the field and the item.
 *   3. send: the operation sends the prepared items in its own order (one call per item, several
 *      message parts, uploads, pages) and reports each item's output or error.
 *
 * Without continue-on-fail the first error stops the run; with it, the failing item gets an
 * output of its own ({error, code}) and the rest go on.
 */
export interface ItemOperation<Job, Resolved = undefined> {
	/** The Options the operation shows, of which the pipeline reads the transport settings. */
	options?: OptionsShape;
	/** Once, before any item is read: checks of the run as a whole (e.g. the credential's bot token). */
	start?(run: PipelineRun): Promise<void>;
	resolve?(run: PipelineRun, itemIndex: number): Promise<Resolved>;
	prepare(run: PipelineRun, itemIndex: number, resolved: Resolved): Job | Promise<Job>;
	send(run: PipelineRun, jobs: Array<PreparedItem<Job>>, report: ItemReport): Promise<void>;
	/**
	 * One action per run rather than per item (Send and Wait: one question, then the execution
	 * waits). Item 0 is read, continue-on-fail does not apply (there is no item output to carry an
	 * error while the execution waits), and the input items pass on unchanged.
	 */
	oncePerRun?: boolean;
}

export interface PreparedItem<Job> {
	itemIndex: number;
	job: Job;
}

export interface PipelineRun {
	readonly context: IExecuteFunctions;
	readonly items: INodeExecutionData[];
	readonly continueOnFail: boolean;
	/** The transport settings of the run (Options, read from item 0 when first needed). */
	settings(): RunSettings;
	/** The portal connection, resolved once, when first needed (not at all when every item is invalid). */
	connection(): Promise<Bitrix24Connection>;
}

export interface ItemReport {
	/** The item's output: one json, or several (Get Many), each paired with the item. */
	succeeded(itemIndex: number, json: IDataObject | IDataObject[]): void;
	/**
	 * The item failed. Without continue-on-fail this throws and ends the run; with it, the item's
	 * output carries the error, plus `extra` (e.g. what was already posted).
	 */
	failed(itemIndex: number, error: unknown, extra?: IDataObject): void;
}

/** The one way an error becomes an item's node error: this package's errors pass as built. */
export function itemNodeError(
	context: IExecuteFunctions,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(context.getNode(), error as Error, { itemIndex });
}

/**
 * An item's failure for continue-on-fail. "Continue (using error output)" routes items by their
 * `error`; plain "Continue" would replace the json of such an item with {error} alone, so there
 * the code travels in the json only. `extra` adds fields to that json.
 */
function failedItem(
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

type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

export async function runPipeline<Job, Resolved = undefined>(
	context: IExecuteFunctions,
	operation: ItemOperation<Job, Resolved>,
): Promise<INodeExecutionData[][]> {
	const items = context.getInputData();
	const continueOnFail = operation.oncePerRun ? false : context.continueOnFail();
	let connection: Promise<Bitrix24Connection> | undefined;
	let settings: RunSettings | undefined;
	const run: PipelineRun = {
		context,
		items,
		continueOnFail,
		settings: () => (settings ??= readRunSettings(context, continueOnFail, operation.options)),
		connection: async () => await (connection ??= resolveConnection(context)),
	};
	const perItem: INodeExecutionData[][] = items.map(() => []);
	const report: ItemReport = {
		succeeded(itemIndex, json) {
			perItem[itemIndex] = (Array.isArray(json) ? json : [json]).map((entry) => ({
				json: entry,
				pairedItem: { item: itemIndex },
			}));
		},
		failed(itemIndex, error, extra) {
			const nodeError = itemNodeError(context, error, itemIndex);
			if (!continueOnFail) throw nodeError;
			perItem[itemIndex] = [failedItem(context, itemIndex, nodeError, extra)];
		},
	};

	await operation.start?.(run);
	const itemIndexes = operation.oncePerRun ? [0] : items.map((_item, itemIndex) => itemIndex);
	const resolved = new Map<number, Settled<Resolved>>();
	if (operation.resolve) {
		for (const itemIndex of itemIndexes) {
			try {
				resolved.set(itemIndex, { ok: true, value: await operation.resolve(run, itemIndex) });
			} catch (error) {
				resolved.set(itemIndex, { ok: false, error });
			}
		}
	}
	const jobs: Array<PreparedItem<Job>> = [];
	for (const itemIndex of itemIndexes) {
		try {
			const lookedUp = resolved.get(itemIndex);
			if (lookedUp && !lookedUp.ok) throw lookedUp.error;
			jobs.push({ itemIndex, job: await operation.prepare(run, itemIndex, lookedUp?.value as Resolved) });
		} catch (error) {
			report.failed(itemIndex, error);
		}
	}
	if (jobs.length > 0) await operation.send(run, jobs, report);
	if (operation.oncePerRun) return [items];
	return [perItem.flat()];
}

/** The outcome of one prepared item sent on its own (uploads, pages): its output, or its error. */
export type ItemResult = { json: IDataObject | IDataObject[] } | { error: unknown; extra?: IDataObject };

/** A `send` stage for operations whose items go one after the other, each finished before the next. */
export function oneItemAtATime<Job>(
	sendItem: (run: PipelineRun, job: Job, itemIndex: number) => Promise<ItemResult>,
): ItemOperation<Job>['send'] {
	return async (run, jobs, report) => {
		for (const { itemIndex, job } of jobs) {
			const result = await sendItem(run, job, itemIndex);
			if ('json' in result) report.succeeded(itemIndex, result.json);
			else report.failed(itemIndex, result.error, result.extra);
		}
	};
}
