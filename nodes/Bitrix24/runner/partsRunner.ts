import { runCommands } from '../transport';
import type { Bitrix24Connection, Bitrix24Context, Bitrix24Failure, Command, Outcome, SendOptions } from '../transport';

/** The commands of one input item: one per message part, in order. */
export interface ItemCommands {
	itemIndex: number;
	commands: Command[];
}

/**
 * Sends every item's parts, keeping the order of the chat: items in input order, each item's
 * parts one after the other. Items of a single part are sent together (batched as usual). An
 * item of several parts is sent on its own and stops at its first failing part, so a later
 * part is never posted after a missing one, even with continue-on-fail (which only lets the
 * next items go on). Returns one outcome per command, undefined for commands never sent.
 */
export async function sendItemsInOrder(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	items: ItemCommands[],
	options: SendOptions,
): Promise<Map<Command, Outcome>> {
	const outcomes = new Map<Command, Outcome>();
	let index = 0;
	while (index < items.length) {
		let segment: Command[];
		let segmentOptions = options;
		if (items[index].commands.length > 1) {
			segment = items[index].commands;
			segmentOptions = { ...options, continueOnFail: false };
			index++;
		} else {
			segment = [];
			while (index < items.length && items[index].commands.length === 1) segment.push(items[index++].commands[0]);
		}
		const results = await runCommands(context, connection, method, segment, segmentOptions);
		results.forEach((result, position) => outcomes.set(segment[position], result));
		if (!options.continueOnFail && results.some((result) => !result.ok)) break;
	}
	return outcomes;
}

export interface ItemSummary {
	/** The IDs of the parts posted, in order. */
	messageIds: number[];
	/** The first failing part's failure; for a split text it says which parts are in the chat. */
	failure?: Bitrix24Failure;
	/** Every part was posted. */
	complete: boolean;
}

export function summarizeItem(
	commands: Command[],
	outcomes: Map<Command, Outcome>,
	/** The posted message's ID in the method's result: im.message.add answers the bare ID. */
	messageIdOf: (result: unknown) => number = Number,
): ItemSummary {
	const messageIds: number[] = [];
	for (const [part, command] of commands.entries()) {
		const outcome = outcomes.get(command);
		if (outcome === undefined) break;
		if (outcome.ok) {
			messageIds.push(messageIdOf(outcome.result));
			continue;
		}
		const failure = { ...outcome.failure };
		if (commands.length > 1) {
			// A split text that failed half-way: say exactly what is in the chat.
			const posted =
				part === 0
					? 'no part was posted'
					: `${part === 1 ? 'part 1 was' : `parts 1-${part} were`} posted (message IDs ${messageIds.join(', ')})`;
			failure.description = `${failure.description} [the text was split into ${commands.length} messages; part ${part + 1} failed, ${posted}, later parts were not sent]`;
		}
		return { messageIds, failure, complete: false };
	}
	return { messageIds, complete: messageIds.length === commands.length };
}
