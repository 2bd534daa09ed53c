import type { Bitrix24Connection, Bitrix24Context } from '../transport/connection';
import { runCommands } from '../transport/commands';
import type { Command, CommandOutcome, SendOptions } from '../transport/commands';

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
): Promise<Map<Command, CommandOutcome>> {
	const outcomes = new Map<Command, CommandOutcome>();
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
