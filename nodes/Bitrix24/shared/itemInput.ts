import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeParameterResourceLocator } from 'n8n-workflow';

import { dialogIdFromUrl } from './dialogUrl';
import { isDialogId } from './dialogId';

/**
 * The one wording for bad input: it names the field and the item, before anything is sent.
 * Items are counted as n8n counts them in its own `[item N]` suffix (from 0), so the error shows
 * one number, never two that seem to contradict.
 */
export function invalidInputMessage(itemIndex: number, field: string, problem: string): string {
	return `Invalid "${field}" in item ${itemIndex}: ${problem}`;
}

export function invalidInput(
	context: Pick<IExecuteFunctions, 'getNode'>,
	itemIndex: number,
	field: string,
	problem: string,
) {
	return new NodeOperationError(context.getNode(), invalidInputMessage(itemIndex, field, problem), { itemIndex });
}

function shown(value: unknown): string {
	const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
	return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/** Reads a positive whole number (a number or its text). */
export function readPositiveId(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
): number {
	const raw = context.getNodeParameter(parameter, itemIndex, '') as unknown;
	const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	if (!Number.isSafeInteger(id) || id <= 0) {
		const empty = raw === '' || raw === undefined || raw === null;
		const problem = empty
			? 'it is empty; give a positive whole number'
			: `"${shown(raw)}" is not a positive whole number`;
		throw invalidInput(context, itemIndex, field, problem);
	}
	return id;
}

/** Splits what one user input holds: a list ([1, "2"]), a number, or comma-separated text ("1, 2"). */
function userIdParts(raw: unknown): unknown[] | undefined {
	if (Array.isArray(raw)) return raw;
	if (typeof raw === 'number') return [raw];
	if (typeof raw === 'string')
		return raw
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part !== '');
	if (raw === undefined || raw === null) return [];
	return undefined;
}

/** A user ID from a number or its text; undefined when it is none. */
function userIdOf(value: unknown): number | undefined {
	const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : '';
	const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
	return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}

/** The one wording for a value that is not a user ID. */
function notAUserId(value: unknown): string {
	return `"${shown(value)}" is not a user ID (a positive whole number)`;
}

/** Adds the user IDs in `parts` to `ids`, once each, keeping the order; the problem, if any. */
function addUserIds(ids: number[], parts: unknown[]): string | undefined {
	for (const part of parts) {
		const id = userIdOf(part);
		if (id === undefined) return notAUserId(part);
		if (!ids.includes(id)) ids.push(id);
	}
	return undefined;
}

/**
 * The Users field (one person picker per entry, see usersProperty). An entry may hold a list or
 * comma-separated IDs from an expression. Duplicates are dropped, the order is kept.
 */
export function readPeople(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
	required: boolean,
): number[] {
	const collection = (context.getNodeParameter(parameter, itemIndex, {}) ?? {}) as { user?: unknown };
	const entries = Array.isArray(collection.user) ? (collection.user as Array<{ userId?: unknown }>) : [];
	const ids: number[] = [];
	entries.forEach((entry, position) => {
		const parts = userIdParts(locatorValue(entry?.userId));
		const problem =
			parts === undefined ? 'give a user ID, or a list of them from an expression' : addUserIds(ids, parts);
		if (problem) throw invalidInput(context, itemIndex, field, `person ${position + 1}: ${problem}`);
	});
	if (required && ids.length === 0) {
		throw invalidInput(
			context,
			itemIndex,
			field,
			'no one given. Add a person (or a list of user IDs from an expression)',
		);
	}
	return ids;
}

/** A resource locator's raw value (any mode), or the value itself when it is not a locator. */
function locatorValue(locator: unknown): unknown {
	if (locator !== null && typeof locator === 'object' && !Array.isArray(locator) && 'value' in locator) {
		const value = (locator as INodeParameterResourceLocator).value;
		return typeof value === 'string' ? value.trim() : value;
	}
	return locator;
}

/** An optional person picker inside a collection (or a plain number saved before it was one). */
export function readOptionalUserId(
	context: IExecuteFunctions,
	itemIndex: number,
	value: unknown,
	field: string,
): number | undefined {
	const raw = locatorValue(value);
	if (raw === undefined || raw === null || raw === '' || raw === 0) return undefined;
	const id = userIdOf(raw);
	if (id === undefined) throw invalidInput(context, itemIndex, field, notAUserId(raw));
	return id;
}

/**
 * A group chat from the Dialog picker, as its chat ID: chat123, or, typed By ID, the chat ID alone
 * (15, as Create outputs it in chatId). From the list or a link a bare number is a person's
 * private dialog, which has no chat to add people to; so is a workgroup (sg123).
 */
export function readGroupChatId(context: IExecuteFunctions, itemIndex: number): number {
	const locator = context.getNodeParameter('dialogId', itemIndex) as INodeParameterResourceLocator | string | number;
	const typedById = typeof locator !== 'object' || locator === null || locator.mode === 'id';
	const value = readLocator(context, itemIndex, 'dialogId');
	const match = (typedById ? /^(?:chat)?([1-9]\d*)$/ : /^chat([1-9]\d*)$/).exec(value);
	const id = match ? Number(match[1]) : Number.NaN;
	if (!Number.isSafeInteger(id)) {
		const problem =
			value === ''
				? 'it is empty. Pick a group chat, or give chat123 or the chat ID'
				: `"${shown(value)}" is not a group chat. Pick one from the list, or give chat123 or the chat ID (15)`;
		throw invalidInput(context, itemIndex, 'Dialog', problem);
	}
	return id;
}

/** A resource locator's value in any mode; chat links become dialog IDs. */
export function readLocator(context: IExecuteFunctions, itemIndex: number, parameter: string): string {
	const locator = context.getNodeParameter(parameter, itemIndex) as INodeParameterResourceLocator | string | number;
	if (typeof locator !== 'object' || locator === null) return String(locator ?? '').trim();
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'url') return dialogIdFromUrl(value) ?? value;
	return value;
}

/** A person picker's user ID (a picked or typed positive whole number). */
export function readUserIdField(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
): number {
	const userText = readLocator(context, itemIndex, parameter);
	const id = userIdOf(userText);
	if (id === undefined) throw invalidInput(context, itemIndex, field, notAUserId(userText));
	return id;
}

/** The Dialog field in any of its modes (a picked or typed ID, or a chat link), checked. */
export function readDialogIdField(context: IExecuteFunctions, itemIndex: number): string {
	const dialogId = readLocator(context, itemIndex, 'dialogId');
	if (!isDialogId(dialogId)) {
		throw invalidInput(
			context,
			itemIndex,
			'Dialog',
			`"${shown(dialogId)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	return dialogId;
}
