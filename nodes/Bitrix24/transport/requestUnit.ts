import type { IDataObject } from 'n8n-workflow';

import { encodeCountedBatchCommand, isBatchEncodable } from './batchCommand';

/** Bitrix24 accepts at most 50 commands in one `batch` call. */
export const MAX_BATCH_COMMANDS = 50;

/**
 * PHP reads at most `max_input_vars` variables from each batch command (1,000 by default, and
 * self-hosted portals often keep it) and drops the rest silently. Below that, with room to spare.
 */
export const MAX_BATCH_COMMAND_VARIABLES = 900;

/**
 * Bitrix24's batch replaces `$result[…]`, `$time[…]`, `$error[…]`, `$next[…]` and `$total[…]`
 * (any case) in every decoded key and value with data from earlier commands, and has no escape.
 * Matched conservatively (the word and the bracket, nothing more) so that no user text is ever
 * rewritten: a command containing it goes alone, outside the batch.
 */
const BATCH_REFERENCE = /\$(?:result|time|error|next|total)\[/i;

export interface Command {
	/** The input item this command comes from (for errors and pairedItem). */
	itemIndex: number;
	params: IDataObject;
}

/** One HTTP request: a command on its own, or a chunk of commands through `batch`. */
export interface RequestUnit {
	/** Positions (in the command list) this request carries, in order. */
	positions: number[];
	method: string;
	params: IDataObject;
	/** For a batch, the `cmd` key of each position. */
	keys?: string[];
}

/** ATTACH, KEYBOARD and MENU (any structure) as JSON text, which Bitrix24 accepts as well. */
function structuresAsJson(params: IDataObject): IDataObject {
	const safe: IDataObject = { ...params };
	for (const [key, value] of Object.entries(params)) {
		if (value !== null && typeof value === 'object') safe[key] = JSON.stringify(value);
	}
	return safe;
}

/**
 * The `"method?query"` a command travels as inside a batch, or undefined when it must go alone:
 * it holds a batch reference, or even with its structures as JSON text PHP would drop variables.
 * A structure the query form cannot carry (an empty list, a key PHP rewrites), or one with too
 * many variables, is sent as JSON text instead.
 */
export function batchCommandFor(method: string, params: IDataObject): string | undefined {
	if (BATCH_REFERENCE.test(JSON.stringify(params))) return undefined;
	let encoded = isBatchEncodable(params) ? encodeCountedBatchCommand(method, params) : undefined;
	if (encoded === undefined || encoded.variables > MAX_BATCH_COMMAND_VARIABLES) {
		encoded = encodeCountedBatchCommand(method, structuresAsJson(params));
	}
	return encoded.variables > MAX_BATCH_COMMAND_VARIABLES ? undefined : encoded.command;
}

/**
 * The next request, starting at `from`: up to 50 commands that can travel in a batch, encoded
 * now (per chunk, just before sending, so memory grows with the chunk, not with the run), or the
 * command at `from` alone. A batch never reaches past a command that must go alone, so the order
 * of sending is always the order of the items.
 *
 * halt=1 always: Bitrix24 then stops at the first failing command, so no later command runs
 * before an earlier refused one is resent, and a chat keeps its order.
 */
export function nextRequestUnit(method: string, commands: readonly Command[], from: number, batching: boolean): RequestUnit {
	if (batching) {
		const cmd: Record<string, string> = {};
		const positions: number[] = [];
		const keys: string[] = [];
		for (let position = from; position < commands.length && positions.length < MAX_BATCH_COMMANDS; position++) {
			const command = batchCommandFor(method, commands[position].params);
			if (command === undefined) break;
			const key = `c${position}`;
			cmd[key] = command;
			positions.push(position);
			keys.push(key);
		}
		// One command gains nothing from a batch: it goes on its own, with the same result.
		if (positions.length > 1) return { positions, method: 'batch', params: { halt: 1, cmd }, keys };
	}
	return { positions: [from], method, params: commands[from].params };
}
