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

/** Reads a positive whole number (a number or its text); `chat123` is accepted where `prefix` is 'chat'. */
export function readPositiveId(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
	prefix?: 'chat',
): number {
	const raw = context.getNodeParameter(parameter, itemIndex, '') as unknown;
	let text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
	if (prefix && text.startsWith(prefix)) text = text.slice(prefix.length);
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

/**
 * User IDs as a list ([1, "2"]) or comma-separated text ("1, 2"). Duplicates are dropped, the
 * order is kept.
 */
export function readUserIds(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
	required: boolean,
): number[] {
	const raw = context.getNodeParameter(parameter, itemIndex, '') as unknown;
	let parts: unknown[];
	if (Array.isArray(raw)) parts = raw;
	else if (typeof raw === 'number') parts = [raw];
	else if (typeof raw === 'string')
		parts = raw
			.split(',')
			.map((part) => part.trim())
			.filter((part) => part !== '');
	else if (raw === undefined || raw === null) parts = [];
	else throw invalidInput(context, itemIndex, field, 'give user IDs as a list or as comma-separated text, e.g. 3, 7');
	const ids: number[] = [];
	for (const part of parts) {
		const text = typeof part === 'number' ? String(part) : typeof part === 'string' ? part.trim() : '';
		const id = /^\d+$/.test(text) ? Number(text) : Number.NaN;
		if (!Number.isSafeInteger(id) || id <= 0) {
			throw invalidInput(context, itemIndex, field, `"${shown(part)}" is not a user ID (a positive whole number)`);
		}
		if (!ids.includes(id)) ids.push(id);
	}
	if (required && ids.length === 0) {
		throw invalidInput(context, itemIndex, field, 'no user ID given. Use a list or comma-separated IDs, e.g. 3, 7');
	}
	return ids;
}

/** A resource locator's value in any mode; chat links become dialog IDs. */
export function readLocator(context: IExecuteFunctions, itemIndex: number, parameter: string): string {
	const locator = context.getNodeParameter(parameter, itemIndex) as INodeParameterResourceLocator | string | number;
	if (typeof locator !== 'object' || locator === null) return String(locator ?? '').trim();
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'url') return dialogIdFromUrl(value) ?? value;
	return value;
}

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
