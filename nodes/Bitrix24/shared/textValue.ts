import type { IExecuteFunctions } from 'n8n-workflow';

import { invalidInput } from './itemInput';

/**
 * A text field's value as the text Bitrix24 should receive. An expression may hand over any JSON
 * value: numbers and booleans are taken as their text, but an object or a list has no text of
 * its own (String() would make it "[object Object]"), so it is refused with `reject`.
 */
export function textOf(value: unknown, reject: (problem: string) => never): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
	const what = Array.isArray(value) ? 'a list' : 'an object';
	return reject(
		`${what} is not text. Pick the text inside it in the expression (e.g. {{ $json.text }}), or write it out with JSON.stringify()`,
	);
}

/** Reads a text parameter of the item; an object or list fails naming the field and item. */
export function readTextParameter(
	context: IExecuteFunctions,
	itemIndex: number,
	parameter: string,
	field: string,
): string {
	return textOf(context.getNodeParameter(parameter, itemIndex, ''), (problem) => {
		throw invalidInput(context, itemIndex, field, problem);
	});
}
