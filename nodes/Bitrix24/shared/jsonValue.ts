import type { IDataObject } from 'n8n-workflow';

/**
 * Type guards for JSON read from Bitrix24 or from the user: an answer may carry `true`, a list
 * or nothing where an object is documented, so the shape is checked instead of assumed.
 */

export function isJsonObject(value: unknown): value is IDataObject {
	return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** The value when it is an object, otherwise an empty object (whose fields all read as undefined). */
export function objectOf(value: unknown): IDataObject {
	return isJsonObject(value) ? value : {};
}

/** The objects in a list; anything else (a missing list, null entries) gives none. */
export function objectsIn(value: unknown): IDataObject[] {
	return Array.isArray(value) ? value.filter(isJsonObject) : [];
}

/** A number, or a numeric text as Bitrix24 sends IDs in some answers; otherwise null. */
export function numberOrNull(value: unknown): number | null {
	const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
	return typeof number === 'number' && Number.isFinite(number) ? number : null;
}

/** A text (a number as its text); otherwise null. */
export function textOrNull(value: unknown): string | null {
	return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : null;
}
