import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { DEFAULT_CALL_SETTINGS } from '../transport';
import type { CallSettings, RatePlan } from '../transport';
import { sendOptionsProperty, timeoutMs } from '../runner/sendOptions';

/** An upload of up to 100 MB (133 MB of base64) takes longer than a text message. */
export const DEFAULT_UPLOAD_TIMEOUT_SECONDS = 300;

/** Send's options without Batching (uploads never go into `batch`) and Long Text, plus File Name. */
export const sendFileOptionsProperty: INodeProperties = {
	...sendOptionsProperty,
	options: [
		{
			displayName: 'File Name',
			name: 'fileName',
			type: 'string',
			default: '',
			placeholder: 'report.csv',
			description: "Name to give the file in the chat, instead of the binary's own file name. Only for a single file.",
		},
		...(sendOptionsProperty.options ?? [])
			.filter((option) => option.name !== 'batching' && option.name !== 'longText')
			.map((option) =>
				option.name === 'timeoutSeconds'
					? {
							...option,
							default: DEFAULT_UPLOAD_TIMEOUT_SECONDS,
							description:
								'How long to wait for Bitrix24 to take one file and answer. A file whose request timed out may or may not have been uploaded, so it is not retried.',
						}
					: option,
			),
	] as INodeProperties[],
};

export interface SendFileOptions extends CallSettings {
	fileName: string;
}

export function readSendFileOptions(context: IExecuteFunctions, itemIndex: number): SendFileOptions {
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const seconds = (value: unknown, fallbackMs: number) =>
		typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value * 1000 : fallbackMs;
	return {
		fileName: String(options.fileName ?? '').trim(),
		ratePlan: options.ratePlan === 'enterprise' ? 'enterprise' : ('standard' as RatePlan),
		maxRetryWaitMs: seconds(options.maxRetryWaitSeconds, DEFAULT_CALL_SETTINGS.maxRetryWaitMs),
		timeoutMs: timeoutMs(context, options.timeoutSeconds, DEFAULT_UPLOAD_TIMEOUT_SECONDS * 1000),
	};
}
