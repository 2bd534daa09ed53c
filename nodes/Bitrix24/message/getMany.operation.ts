import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { callFailureError } from '../runner/itemErrors';
import { optionsProperty } from '../runner/options';
import type { OptionsShape } from '../runner/options';
import { oneItemAtATime, runPipeline } from '../runner/pipeline';
import { callMethod } from '../transport';
import type { Bitrix24Connection, Bitrix24Failure, CallSettings } from '../transport';
import { objectOf, objectsIn } from '../shared/jsonValue';

const showForGetMany = { resource: ['message'], operation: ['getMany'] };

/** Messages asked for per im.dialog.messages.get call; a shorter page means there are no more. */
export const MESSAGES_PAGE_SIZE = 50;

/** Reads are never batched: each page decides the next one. The filters are read per item. */
const getManyOptions: OptionsShape = {
	batching: false,
	extra: [
		{
			displayName: 'After Message ID',
			name: 'afterId',
			type: 'number',
			default: 0,
			description: 'Only messages newer than this one, starting right after it (for reading on from a known message)',
		},
		{
			displayName: 'Before Message ID',
			name: 'beforeId',
			type: 'number',
			default: 0,
			description: 'Only messages older than this one (for paging back: use the smallest ID of the previous page)',
		},
		{
			displayName: 'Include Deleted',
			name: 'includeDeleted',
			type: 'boolean',
			default: false,
			description:
				'Whether to output deleted messages too. Bitrix24 keeps them in the history with empty text; they come out with deleted: true.',
		},
		{
			displayName: 'Order',
			name: 'order',
			type: 'options',
			default: 'newestFirst',
			description:
				'Order of the output items. Which messages are read does not change: the newest ones, or those right after After Message ID.',
			options: [
				{ name: 'Newest First', value: 'newestFirst' },
				{ name: 'Oldest First (Like a Transcript)', value: 'oldestFirst' },
			],
		},
	],
};

export const getManyDescription: INodeProperties[] = [
	{
		...dialogIdProperty,
		displayOptions: { show: showForGetMany },
		description:
			'The chat to read: a user ID like 123 (private chat with that user), chat123 (group chat) or sg123 (workgroup chat)',
	},
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		displayOptions: { show: showForGetMany },
		description: 'Whether to return all results or only up to a given limit',
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		// n8n's community package scanner requires 50 as the default of a Limit field (and ignores
		// inline lint exceptions); 50 is also one Bitrix24 page.
		default: 50,
		displayOptions: { show: { ...showForGetMany, returnAll: [false] } },
		description: 'Max number of results to return',
	},
	optionsProperty(showForGetMany, getManyOptions),
];

interface HistoryQuery {
	dialogId: string;
	/** Infinity with Return All. */
	limit: number;
	beforeId?: number;
	afterId?: number;
	oldestFirst: boolean;
	includeDeleted: boolean;
}

interface RawMessage {
	id?: unknown;
	chat_id?: unknown;
	author_id?: unknown;
	date?: unknown;
	text?: unknown;
	params?: unknown;
}

function optionalId(context: IExecuteFunctions, itemIndex: number, name: string, field: string): number | undefined {
	const value = context.getNodeParameter(`options.${name}`, itemIndex, 0) as unknown;
	if (value === 0 || value === '' || value === undefined || value === null) return undefined;
	const id = Number(value);
	if (!Number.isSafeInteger(id) || id < 0) {
		throw invalidInput(context, itemIndex, field, `"${String(value)}" is not a message ID (a positive whole number)`);
	}
	return id === 0 ? undefined : id;
}

function readQuery(context: IExecuteFunctions, itemIndex: number): HistoryQuery {
	const dialogId = readDialogIdField(context, itemIndex);
	const returnAll = context.getNodeParameter('returnAll', itemIndex, false) as boolean;
	let limit = Number.POSITIVE_INFINITY;
	if (!returnAll) {
		const raw = context.getNodeParameter('limit', itemIndex, 20) as unknown;
		limit = typeof raw === 'string' && raw.trim() === '' ? Number.NaN : Number(raw);
		if (!Number.isSafeInteger(limit) || limit < 1) {
			throw invalidInput(context, itemIndex, 'Limit', `"${String(raw)}" is not a whole number of at least 1`);
		}
	}
	const beforeId = optionalId(context, itemIndex, 'beforeId', 'Before Message ID');
	const afterId = optionalId(context, itemIndex, 'afterId', 'After Message ID');
	if (beforeId !== undefined && afterId !== undefined && afterId >= beforeId) {
		throw invalidInput(
			context,
			itemIndex,
			'After Message ID',
			`${afterId} is not below Before Message ID ${beforeId}: no message can lie between them`,
		);
	}
	const order = context.getNodeParameter('options.order', itemIndex, 'newestFirst') as string;
	const includeDeleted = context.getNodeParameter('options.includeDeleted', itemIndex, false) === true;
	return { dialogId, limit, beforeId, afterId, oldestFirst: order === 'oldestFirst', includeDeleted };
}

function idOf(message: RawMessage): number {
	return Number(message.id);
}

/** A deleted message stays in im.dialog.messages.get's history, emptied, with params.IS_DELETED 'Y'. */
function isDeleted(message: RawMessage): boolean {
	const params = message.params;
	return params !== null && typeof params === 'object' && (params as IDataObject).IS_DELETED === 'Y';
}

/**
 * Reads a chat's history page by page. Bitrix24 has no standard paging for this method:
 * LAST_ID pages back from a message, FIRST_ID pages forward from one. Without After Message ID
 * the newest messages are read (back from Before Message ID when given); with it, the messages
 * right after it.
 */
async function readHistory(
	context: IExecuteFunctions,
	connection: Bitrix24Connection,
	settings: CallSettings,
	query: HistoryQuery,
): Promise<{ messages: RawMessage[]; names: Map<number, string> } | { failure: Bitrix24Failure }> {
	const forward = query.afterId !== undefined && query.beforeId === undefined;
	const collected: RawMessage[] = [];
	const names = new Map<number, string>();
	let cursor = forward ? query.afterId : query.beforeId;
	while (collected.length < query.limit) {
		const pageSize = Math.min(MESSAGES_PAGE_SIZE, query.limit - collected.length);
		const params: IDataObject = { DIALOG_ID: query.dialogId, LIMIT: pageSize };
		if (cursor !== undefined) params[forward ? 'FIRST_ID' : 'LAST_ID'] = cursor;
		const call = await callMethod(context, connection, 'im.dialog.messages.get', params, settings);
		if (!call.ok) return { failure: call.failure };
		const result = objectOf(call.body.result);
		const page: RawMessage[] = objectsIn(result.messages);
		for (const user of objectsIn(result.users)) {
			if (user.id !== undefined) names.set(Number(user.id), String(user.name ?? ''));
		}
		// Bitrix24 answers newest first when paging back; sort anyway so the cursor is right.
		const ids = page.map(idOf).filter((id) => Number.isSafeInteger(id));
		let fresh = page.filter((message) => Number.isSafeInteger(idOf(message)));
		if (query.afterId !== undefined) fresh = fresh.filter((message) => idOf(message) > (query.afterId as number));
		if (query.beforeId !== undefined) fresh = fresh.filter((message) => idOf(message) < (query.beforeId as number));
		// Left out before counting, so Limit counts the messages output.
		if (!query.includeDeleted) fresh = fresh.filter((message) => !isDeleted(message));
		fresh.sort((a, b) => (forward ? idOf(a) - idOf(b) : idOf(b) - idOf(a)));
		collected.push(...fresh.slice(0, query.limit - collected.length));

		const next = forward ? Math.max(...ids) : Math.min(...ids);
		const crossedAfterId = !forward && query.afterId !== undefined && next <= query.afterId;
		// A short page is the end; a cursor that does not move would loop for ever.
		if (page.length < pageSize || ids.length === 0 || next === cursor || crossedAfterId) break;
		cursor = next;
	}
	return { messages: collected, names };
}

function toOutput(message: RawMessage, dialogId: string, names: Map<number, string>): IDataObject {
	const authorId = Number(message.author_id ?? 0);
	const json: IDataObject = {
		messageId: idOf(message),
		dialogId,
		chatId: Number(message.chat_id),
		authorId,
		// Author 0 is Bitrix24 itself (system messages such as "X joined the chat").
		authorName: authorId === 0 ? 'System' : (names.get(authorId) ?? null),
		date: message.date === undefined ? null : String(message.date),
		text: typeof message.text === 'string' ? message.text : '',
	};
	if (isDeleted(message)) json.deleted = true;
	if (message.params && typeof message.params === 'object') json.params = message.params as IDataObject;
	return json;
}

export async function executeGetMany(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPipeline<HistoryQuery>(this, {
		options: getManyOptions,
		prepare: (run, itemIndex) => readQuery(run.context, itemIndex),
		send: oneItemAtATime(async (run, query, itemIndex) => {
			// Reading twice is harmless: a lost answer is asked for again.
			const settings = { ...run.settings(), idempotent: true };
			const read = await readHistory(run.context, await run.connection(), settings, query);
			if ('failure' in read) {
				return {
					error: callFailureError(run.context, read.failure, itemIndex, 'the messages could not be read', true),
				};
			}
			const ordered = [...read.messages].sort((a, b) => (query.oldestFirst ? idOf(a) - idOf(b) : idOf(b) - idOf(a)));
			return { json: ordered.map((message) => toOutput(message, query.dialogId, read.names)) };
		}),
	});
}
