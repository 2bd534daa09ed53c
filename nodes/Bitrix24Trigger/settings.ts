import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { isDialogId } from '../Bitrix24/shared/dialogId';
import { isTriggerEvent } from './eventTypes';
import type { TriggerEvent } from './eventTypes';

export interface TriggerSettings {
	events: ReadonlySet<TriggerEvent>;
	/** Undefined: every chat. */
	dialogIds?: ReadonlySet<string>;
	ignoreOwnMessages: boolean;
	ignoreSystemMessages: boolean;
	/** Lower-cased; undefined: no text filter. */
	textContains?: string;
	/** The wait after a read that brought nothing new. */
	checkEveryMs: number;
}

/** Bitrix24 asks for at least 2 s between reads of the same queue. */
export const MIN_CHECK_EVERY_SECONDS = 2;
export const DEFAULT_CHECK_EVERY_SECONDS = 5;

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

/**
 * Reads and checks the trigger's parameters before any request: a wrong value fails with the
 * field's name instead of a poll that silently never fires.
 */
export function readTriggerSettings(context: Pick<ITriggerFunctions, 'getNode' | 'getNodeParameter'>): TriggerSettings {
	const node = context.getNode();
	const events = listOf(context.getNodeParameter('events', []));
	if (events.length === 0) {
		throw new NodeOperationError(node, 'Parameter "Events" is empty: choose at least one event to trigger on');
	}
	const unknown = events.find((event) => !isTriggerEvent(event));
	if (unknown !== undefined) {
		throw new NodeOperationError(node, `Parameter "Events": "${unknown}" is not an event this trigger knows`);
	}

	const filters = (context.getNodeParameter('filters', {}) ?? {}) as IDataObject;
	const dialogIds = listOf(filters.dialogIds);
	const invalid = dialogIds.find((dialogId) => !isDialogId(dialogId));
	if (invalid !== undefined) {
		throw new NodeOperationError(
			node,
			`Filter "Dialog IDs": "${invalid}" is not a dialog ID. Use a user ID (123), chat123 or sg123`,
		);
	}
	const checkEverySeconds = Number(context.getNodeParameter('checkEverySeconds', DEFAULT_CHECK_EVERY_SECONDS));
	if (!Number.isFinite(checkEverySeconds) || checkEverySeconds < MIN_CHECK_EVERY_SECONDS) {
		throw new NodeOperationError(
			node,
			`Parameter "Check Every (Seconds)": ${String(checkEverySeconds)} is too short. Bitrix24 asks for at least ${MIN_CHECK_EVERY_SECONDS} s between reads`,
		);
	}
	// A number from an expression is text to look for; an object or list has no text to look for.
	const rawText = filters.textContains;
	if (rawText !== null && typeof rawText === 'object') {
		const what = Array.isArray(rawText) ? 'a list' : 'an object';
		throw new NodeOperationError(node, `Filter "Text Contains": ${what} is not text. Give the words to look for`);
	}
	const textContains = rawText === undefined || rawText === null ? '' : String(rawText).trim().toLowerCase();
	return {
		events: new Set(events as TriggerEvent[]),
		dialogIds: dialogIds.length > 0 ? new Set(dialogIds) : undefined,
		// Both default to on when the filter was never added to the collection.
		ignoreOwnMessages: filters.ignoreOwnMessages !== false,
		ignoreSystemMessages: filters.ignoreSystemMessages !== false,
		textContains: textContains === '' ? undefined : textContains,
		checkEveryMs: checkEverySeconds * 1000,
	};
}
