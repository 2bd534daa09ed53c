import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { failureToNodeApiError, runCommands } from '../transport';
import type { Bitrix24Connection, Bitrix24Failure, Command, Outcome } from '../transport';
import type { ItemOperation, PipelineRun, PreparedItem } from './pipeline';

/** The message parts of one input item: one parameter set per message, in order. */
type Parts = IDataObject[];

/**
 * Sends every item's parts, keeping the order of the chat: items in input order, each item's
 * parts one after the other. Items of a single part are sent together (batched as usual). An
 * item of several parts is sent on its own and stops at its first failing part, so a later
 * part is never posted after a missing one, even with continue-on-fail (which only lets the
 * next items go on). Returns each item's outcomes, one per part sent: fewer than its parts when
 * a part failed, none when an earlier item stopped the run.
 */
async function sendItemsInOrder(
	run: PipelineRun,
	connection: Bitrix24Connection,
	method: string,
	items: Array<PreparedItem<Parts>>,
): Promise<Outcome[][]> {
	const options = run.settings();
	const outcomes: Outcome[][] = items.map(() => []);
	let first = 0;
	while (first < items.length) {
		// The positions (in `items`) that share this request: one item of several parts, or a run
		// of single-part items.
		let end = first + 1;
		if (items[first].job.length === 1) while (end < items.length && items[end].job.length === 1) end++;
		const together = items.slice(first, end);
		const owners = together.flatMap(({ job }, offset) => job.map(() => first + offset));
		const commands: Command[] = together.flatMap(({ itemIndex, job }) => job.map((params) => ({ itemIndex, params })));
		const several = together[0].job.length > 1;
		const settings = several ? { ...options, continueOnFail: false } : options;
		const results = await runCommands(run.context, connection, method, commands, settings);
		results.forEach((result, position) => outcomes[owners[position]].push(result));
		if (!options.continueOnFail && results.some((result) => !result.ok)) break;
		first = end;
	}
	return outcomes;
}

interface ItemSummary {
	/** The IDs of the parts posted, in order. */
	messageIds: number[];
	/** The first failing part's failure; for a split text it says which parts are in the chat. */
	failure?: Bitrix24Failure;
	/** Every part was posted. */
	complete: boolean;
}

function summarizeItem(parts: number, outcomes: Outcome[], messageIdOf: (result: unknown) => number): ItemSummary {
	const messageIds: number[] = [];
	for (const [part, outcome] of outcomes.entries()) {
		if (outcome.ok) {
			messageIds.push(messageIdOf(outcome.result));
			continue;
		}
		if (parts === 1) return { messageIds, failure: outcome.failure, complete: false };
		// A split text that failed half-way: said where the failure is worded, with what is in the chat.
		const posted =
			part === 0
				? 'no part was posted'
				: `${part === 1 ? 'part 1 was' : `parts 1-${part} were`} posted (message IDs ${messageIds.join(', ')})`;
		const description = `${outcome.failure.description} [the text was split into ${parts} messages; part ${part + 1} failed, ${posted}, later parts were not sent]`;
		return { messageIds, failure: { ...outcome.failure, description }, complete: false };
	}
	return { messageIds, complete: messageIds.length === parts };
}

/** An operation that posts one message per item, or several when a long text is split. */
export interface MessagePartsSpec<Resolved = undefined> {
	method: string;
	/** Reads and checks one item: the parameters of each message it posts, in order. */
	prepare(context: IExecuteFunctions, itemIndex: number, resolved: Resolved): Parts;
	/** The posted message's ID in the method's result (im.message.add answers the bare ID). */
	messageIdOf: (result: unknown) => number;
	/** The output of an item whose parts were all posted. */
	output(parts: Parts, messageIds: number[], connection: Bitrix24Connection): IDataObject;
}

export function messagePartsPerItem<Resolved = undefined>(
	spec: MessagePartsSpec<Resolved>,
): Pick<ItemOperation<Parts, Resolved>, 'prepare' | 'send'> {
	return {
		prepare: (run, itemIndex, resolved) => spec.prepare(run.context, itemIndex, resolved),
		async send(run, items, report) {
			const connection = await run.connection();
			const outcomes = await sendItemsInOrder(run, connection, spec.method, items);
			items.forEach(({ itemIndex, job: parts }, position) => {
				const { messageIds, failure, complete } = summarizeItem(parts.length, outcomes[position], spec.messageIdOf);
				if (failure) {
					const error = failureToNodeApiError(run.context.getNode(), failure, itemIndex);
					report.failed(itemIndex, error, messageIds.length > 0 ? { messageIds } : undefined);
					return;
				}
				// Not sent: an earlier item stopped the run.
				if (complete) report.succeeded(itemIndex, spec.output(parts, messageIds, connection));
			});
		},
	};
}
