/**
 * Reading the values n8n gives for builder collections. Empty fields are left out of the
 * Bitrix24 structure: the server treats "" and 0 differently from "not given" (e.g. WIDTH 0).
 */
import type { IDataObject } from 'n8n-workflow';

import { isHexColor, linkProblem } from './contentRules';

/** Raised when a builder entry cannot become valid Bitrix24 JSON; the message names the entry. */
export class BuilderInputError extends Error {}

export function readText(values: IDataObject, key: string): string | undefined {
	const value = values[key];
	if (value === undefined || value === null) return undefined;
	const text = String(value).trim();
	return text === '' ? undefined : text;
}

/** Positive numbers only: 0 is n8n's default for an untouched number field, not a size. */
export function readPositiveNumber(values: IDataObject, key: string): number | undefined {
	const value = values[key];
	if (value === undefined || value === null || value === '') return undefined;
	const number = typeof value === 'number' ? value : Number(value);
	return Number.isFinite(number) && number > 0 ? number : undefined;
}

/** The entries of a multipleValues fixedCollection, in the order the user arranged them. */
export function readEntries(collection: unknown, optionName: string): IDataObject[] {
	if (collection === undefined || collection === null || typeof collection !== 'object') return [];
	const entries = (collection as IDataObject)[optionName];
	if (entries === undefined || entries === null) return [];
	if (Array.isArray(entries)) return entries as IDataObject[];
	return [entries as IDataObject];
}

/** Copies only the fields that have a value, keeping the key order given. */
export function withoutEmpty(fields: Record<string, string | number | undefined>): Record<string, string | number> {
	const result: Record<string, string | number> = {};
	for (const [key, value] of Object.entries(fields)) {
		if (value !== undefined) result[key] = value;
	}
	return result;
}

export function requireText(values: IDataObject, key: string, where: string, what: string): string {
	const text = readText(values, key);
	if (text === undefined) throw new BuilderInputError(`${where}: ${what} is required`);
	return text;
}

/** Bitrix24 accepts links starting with http://, https:// or / (relative to the portal). */
export function requireLink(values: IDataObject, key: string, where: string, what: string): string {
	const link = requireText(values, key, where, what);
	checkLink(link, where, what);
	return link;
}

export function optionalLink(values: IDataObject, key: string, where: string, what: string): string | undefined {
	const link = readText(values, key);
	if (link !== undefined) checkLink(link, where, what);
	return link;
}

function checkLink(link: string, where: string, what: string): void {
	const problem = linkProblem(link);
	if (problem) throw new BuilderInputError(`${where}: ${what} ${problem}`);
}

export function optionalColor(values: IDataObject, key: string, where: string, what: string): string | undefined {
	const color = readText(values, key);
	if (color !== undefined && !isHexColor(color)) {
		throw new BuilderInputError(`${where}: ${what} must be a hex color like #29619b (got "${color.slice(0, 20)}")`);
	}
	return color;
}

/**
 * n8n's lint rule wants the fields of a fixedCollection entry sorted by display name. The rule
 * cannot see fields composed from helpers, so the composed lists are sorted here.
 */
export function sortedByDisplayName<T extends { displayName: string }>(properties: T[]): T[] {
	return [...properties].sort((first, second) => first.displayName.localeCompare(second.displayName, 'en'));
}
