import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_SETTINGS } from '../transport';
import type { RatePlan, SendOptions } from '../transport';
import { invalidInputMessage } from '../shared/itemInput';

export const sendOptionsProperty: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add Option',
	default: {},
	options: [
		{
			displayName: 'Batching',
			name: 'batching',
			type: 'boolean',
			default: true,
			description:
				"Whether to send up to 50 messages per HTTP request through Bitrix24's batch method. Results, order and errors are the same as sending one by one, only much faster under Bitrix24's rate limit.",
		},
		{
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
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'The longest one message may wait in total, from the first try to send it: pacing under the rate plan, waits after refusals that are safe to retry (rate limit, method time limit, Retry-After, connection refused) all count. A message that could not be sent within it fails.',
		},
		{
			displayName: 'Rate Plan',
			name: 'ratePlan',
			type: 'options',
			default: 'standard',
			description: 'Bitrix24 request limit of your plan; the node paces its requests to stay under it',
			options: [
				{ name: 'Enterprise (5 Requests/s, Burst 250)', value: 'enterprise' },
				{ name: 'Standard (2 Requests/s, Burst 50)', value: 'standard' },
			],
		},
		{
			displayName: 'Timeout (Seconds)',
			name: 'timeoutSeconds',
			type: 'number',
			typeOptions: { minValue: 1 },
			default: 60,
			description:
				'How long to wait for Bitrix24 to answer one request. A message whose request timed out may or may not have been posted, so it is not retried.',
		},
	],
};

export function readSendOptions(context: IExecuteFunctions, continueOnFail: boolean): SendOptions {
	const options = context.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = (value: unknown, fallbackMs: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : fallbackMs;
	return {
		batching: options.batching !== false,
		continueOnFail,
		ratePlan: options.ratePlan === 'enterprise' ? 'enterprise' : ('standard' as RatePlan),
		maxRetryWaitMs: seconds(options.maxRetryWaitSeconds, DEFAULT_CALL_SETTINGS.maxRetryWaitMs),
		timeoutMs: timeoutMs(context, options.timeoutSeconds),
	};
}

/**
 * Options → Timeout (Seconds). The editor's minimum of 1 does not bind an expression, and 0 would
 * mean "no timeout at all" to the HTTP client: a hung portal would hold the run for ever.
 */
export function timeoutMs(
	context: IExecuteFunctions,
	value: unknown,
	defaultMs = DEFAULT_CALL_SETTINGS.timeoutMs,
): number {
	if (value === undefined || value === null || value === '') return defaultMs;
	const seconds = typeof value === 'string' ? Number(value.trim()) : value;
	if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 1) {
		// Options are read once, from the first item (n8n's item 0).
		throw new NodeOperationError(
			context.getNode(),
			invalidInputMessage(
				0,
				'Timeout (Seconds)',
				`"${String(value).slice(0, 20)}" is not a number of seconds of at least 1`,
			),
			{ itemIndex: 0 },
		);
	}
	return seconds * 1000;
}
