import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_SETTINGS } from '../transport/call';
import type { RatePlan } from '../transport/call';
import type { SendOptions } from '../transport/commands';

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
				'Whether to send up to 50 messages per HTTP request through Bitrix24\'s batch method. Results, order and errors are the same as sending one by one, only much faster under Bitrix24\'s rate limit.',
		},
		{
			displayName: 'Max Retry Wait (Seconds)',
			name: 'maxRetryWaitSeconds',
			type: 'number',
			typeOptions: { minValue: 0 },
			default: 300,
			description:
				'How long the node may wait in total on Bitrix24 refusals that are safe to retry (rate limit, method time limit, connection refused) before failing',
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
		timeoutMs: seconds(options.timeoutSeconds, DEFAULT_CALL_SETTINGS.timeoutMs),
	};
}
