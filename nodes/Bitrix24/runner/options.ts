import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_SETTINGS } from '../transport';
import type { RatePlan, SendOptions } from '../transport';
import { invalidInput } from '../shared/itemInput';
import { DEFAULT_UPLOAD_TIMEOUT_SECONDS } from '../upload/chatUpload';

/** The settings of one run: how the transport sends (pacing, retries, timeout, batching). */
export type RunSettings = SendOptions;

/**
 * Which Options an operation shows. The transport options (Max Retry Wait, Rate Plan, Timeout and,
 * where calls may share a `batch` request, Batching) are the base every operation has; an
 * operation adds its own, e.g. Send's Long Text or Send File's File Name.
 */
export interface OptionsShape {
	/** False where calls never go through `batch` (bot calls, uploads, paged reads). */
	batching: boolean;
	/** Uploads: a longer default timeout, worded for files. */
	upload?: boolean;
	extra?: INodeProperties[];
}

/** The transport options alone, with Batching: for operations whose calls may share a `batch` request. */
export const transportOptions: OptionsShape = { batching: true };

const batchingOption: INodeProperties = {
	displayName: 'Batching',
	name: 'batching',
	type: 'boolean',
	default: true,
	description:
		"Whether to send up to 50 messages per HTTP request through Bitrix24's batch method. Results, order and errors are the same as sending one by one, only much faster under Bitrix24's rate limit.",
};

const maxRetryWaitOption: INodeProperties = {
	displayName: 'Max Retry Wait (Seconds)',
	name: 'maxRetryWaitSeconds',
	type: 'number',
	typeOptions: { minValue: 0 },
	default: 300,
	description:
		'The longest one message may wait in total, from the first try to send it: pacing under the rate plan, waits after refusals that are safe to retry (rate limit, method time limit, Retry-After, connection refused) all count. A message that could not be sent within it fails.',
};

const ratePlanOption: INodeProperties = {
	displayName: 'Rate Plan',
	name: 'ratePlan',
	type: 'options',
	default: 'standard',
	description: 'Bitrix24 request limit of your plan; the node paces its requests to stay under it',
	options: [
		{ name: 'Enterprise (5 Requests/s, Burst 250)', value: 'enterprise' },
		{ name: 'Standard (2 Requests/s, Burst 50)', value: 'standard' },
	],
};

const timeoutOption: INodeProperties = {
	displayName: 'Timeout (Seconds)',
	name: 'timeoutSeconds',
	type: 'number',
	typeOptions: { minValue: 1 },
	default: 60,
	description:
		'How long to wait for Bitrix24 to answer one request. A message whose request timed out may or may not have been posted, so it is not retried.',
};

const uploadTimeoutOption: INodeProperties = {
	...timeoutOption,
	default: DEFAULT_UPLOAD_TIMEOUT_SECONDS,
	description:
		'How long to wait for Bitrix24 to take one file and answer. A file whose request timed out may or may not have been uploaded, so it is not retried.',
};

/** Send's own option: only Send splits a text into several messages. */
export const longTextOption: INodeProperties = {
	displayName: 'Long Text',
	name: 'longText',
	type: 'options',
	default: 'split',
	description: 'What to do with a text longer than 20,000 characters, which Bitrix24 would cut without a word',
	options: [
		{
			name: 'Split Into Several Messages',
			value: 'split',
			description:
				'Post it as several messages in a row, cut at paragraphs, lines or words; formatting stays closed in each. Reply To applies to the first, the attachment, keyboard and menu go with the last.',
		},
		{ name: 'Fail', value: 'fail', description: 'Fail the item and send nothing' },
	],
};

/** Send File's own option (both resources). */
export const fileNameOption: INodeProperties = {
	displayName: 'File Name',
	name: 'fileName',
	type: 'string',
	default: '',
	placeholder: 'report.csv',
	description: "Name to give the file in the chat, instead of the binary's own file name. Only for a single file.",
};

/** The Options collection of an operation: the transport options, plus the operation's own. */
export function optionsProperty(show: Record<string, string[]>, shape: OptionsShape): INodeProperties {
	const transport = [
		...(shape.batching ? [batchingOption] : []),
		maxRetryWaitOption,
		ratePlanOption,
		shape.upload ? uploadTimeoutOption : timeoutOption,
	];
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		options: [...transport, ...(shape.extra ?? [])].sort((a, b) => a.displayName.localeCompare(b.displayName)),
		displayOptions: { show },
	};
}

/**
 * The run's transport settings. They are read once per run, from item 0, as n8n reads a node's
 * settings: pacing and batching hold for the whole run and cannot differ between items. This is
 * the one place the transport options are read; an operation's own options (Long Text, File Name,
 * Get Many's filters) are read per item, where the operation reads the rest of the item.
 * Without a shape (Send and Wait, which has no transport options) the defaults apply.
 */
export function readRunSettings(
	context: IExecuteFunctions,
	continueOnFail: boolean,
	shape: OptionsShape | undefined,
): RunSettings {
	const options = shape ? (context.getNodeParameter('options', 0, {}) as IDataObject) : {};
	const seconds = (value: unknown, fallbackMs: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : fallbackMs;
	const defaultTimeoutMs = shape?.upload ? DEFAULT_UPLOAD_TIMEOUT_SECONDS * 1000 : DEFAULT_CALL_SETTINGS.timeoutMs;
	return {
		batching: shape?.batching === true && options.batching !== false,
		continueOnFail,
		ratePlan: options.ratePlan === 'enterprise' ? 'enterprise' : ('standard' as RatePlan),
		maxRetryWaitMs: seconds(options.maxRetryWaitSeconds, DEFAULT_CALL_SETTINGS.maxRetryWaitMs),
		timeoutMs: timeoutMs(context, options.timeoutSeconds, defaultTimeoutMs),
	};
}

/**
 * Options → Timeout (Seconds). The editor's minimum of 1 does not bind an expression, and 0 would
 * mean "no timeout at all" to the HTTP client: a hung portal would hold the run for ever.
 */
function timeoutMs(context: IExecuteFunctions, value: unknown, defaultMs: number): number {
	if (value === undefined || value === null || value === '') return defaultMs;
	const seconds = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1) {
		// Options are read once, from the first item (n8n's item 0).
		throw invalidInput(
			context,
			0,
			'Timeout (Seconds)',
			`"${String(value).slice(0, 20)}" is not a number of seconds of at least 1`,
		);
	}
	return seconds * 1000;
}
