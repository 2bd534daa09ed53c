import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, INode, ITriggerFunctions } from 'n8n-workflow';

import { isDialogId } from '../../Bitrix24/shared/dialogId';
import type { EventTypeTable } from './eventTypeTable';

/**
 * The parameters both listening triggers share (Events, Dialog IDs, Text Contains, Check Every),
 * read and checked the same way before any request: a wrong value fails naming the field.
 */

/** A list from a multi-select, or a comma- or space-separated text from an expression. */
function listOf(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
	if (typeof value === 'string' || typeof value === 'number') {
		return String(value)
			.split(/[,\s]+/)
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	return [];
}

/** The chosen events, each one the trigger knows. */
function readEvents<T extends string>(node: INode, raw: unknown, known: EventTypeTable<T>): Set<T> {
	const events = listOf(raw);
	if (events.length === 0) {
		throw new NodeOperationError(node, 'Parameter "Events" is empty: choose at least one event to trigger on');
	}
	const unknown = events.find((event) => !known.isEvent(event));
	if (unknown !== undefined) {
		throw new NodeOperationError(node, `Parameter "Events": "${unknown}" is not an event this trigger knows`);
	}
	return new Set(events as T[]);
}

/** Filter "Dialog IDs"; undefined: every chat. */
function readDialogIdsFilter(node: INode, filters: IDataObject): Set<string> | undefined {
	const dialogIds = listOf(filters.dialogIds);
	const invalid = dialogIds.find((dialogId) => !isDialogId(dialogId));
	if (invalid !== undefined) {
		throw new NodeOperationError(
			node,
			`Filter "Dialog IDs": "${invalid}" is not a dialog ID. Use a user ID (123), chat123 or sg123`,
		);
	}
	return dialogIds.length > 0 ? new Set(dialogIds) : undefined;
}

/** Filter "Text Contains", lower-cased; undefined: no text filter. */
function readTextContainsFilter(node: INode, filters: IDataObject): string | undefined {
	// A number from an expression is text to look for; an object or list has no text to look for.
	const rawText = filters.textContains;
	if (rawText !== null && typeof rawText === 'object') {
		const what = Array.isArray(rawText) ? 'a list' : 'an object';
		throw new NodeOperationError(node, `Filter "Text Contains": ${what} is not text. Give the words to look for`);
	}
	const textContains = rawText === undefined || rawText === null ? '' : String(rawText).trim().toLowerCase();
	return textContains === '' ? undefined : textContains;
}

/** Bitrix24 asks for at least 2 s between reads of the same queue. */
export const MIN_CHECK_EVERY_SECONDS = 2;

/** "Check Every (Seconds)" in milliseconds. */
function readCheckEveryMs(node: INode, raw: unknown): number {
	const checkEverySeconds = Number(raw);
	if (!Number.isFinite(checkEverySeconds) || checkEverySeconds < MIN_CHECK_EVERY_SECONDS) {
		throw new NodeOperationError(
			node,
			`Parameter "Check Every (Seconds)": ${String(checkEverySeconds)} is too short. Bitrix24 asks for at least ${MIN_CHECK_EVERY_SECONDS} s between reads`,
		);
	}
	return checkEverySeconds * 1000;
}

/** What both triggers read from their shared parameters. */
export interface ListeningSettings<T extends string> {
	events: ReadonlySet<T>;
	/** Undefined: every chat. */
	dialogIds?: ReadonlySet<string>;
	/** Lower-cased; undefined: no text filter. */
	textContains?: string;
	/** The wait after a read that brought nothing new. */
	checkEveryMs: number;
}

/** The "Filters" collection: only the filters a person added are set. */
export function readFilters(context: Pick<ITriggerFunctions, 'getNodeParameter'>): IDataObject {
	return (context.getNodeParameter('filters', {}) ?? {}) as IDataObject;
}

/** Events, the Dialog IDs and Text Contains filters, and Check Every: checked in that order. */
export function readListeningSettings<T extends string>(
	context: Pick<ITriggerFunctions, 'getNode' | 'getNodeParameter'>,
	known: EventTypeTable<T>,
	defaultCheckEverySeconds: number,
): ListeningSettings<T> {
	const node = context.getNode();
	const events = readEvents(node, context.getNodeParameter('events', []), known);
	const filters = readFilters(context);
	return {
		events,
		dialogIds: readDialogIdsFilter(node, filters),
		textContains: readTextContainsFilter(node, filters),
		checkEveryMs: readCheckEveryMs(node, context.getNodeParameter('checkEverySeconds', defaultCheckEverySeconds)),
	};
}

/** What both triggers' items carry for the shared filters. */
export interface FilterableItem<T extends string> {
	event: T;
	dialogId: string | null;
	text: string;
}

/** Whether an item passes the chosen events and the shared filters (each trigger adds its own). */
export function passesListeningFilters<T extends string>(
	item: FilterableItem<T>,
	settings: ListeningSettings<T>,
): boolean {
	if (!settings.events.has(item.event)) return false;
	if (settings.dialogIds && (item.dialogId === null || !settings.dialogIds.has(item.dialogId))) return false;
	// Events without a text (deletions, people added, for a bot also reactions) cannot contain the searched text.
	return settings.textContains === undefined || item.text.toLowerCase().includes(settings.textContains);
}
