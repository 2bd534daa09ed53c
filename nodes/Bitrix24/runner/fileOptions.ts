import type { IExecuteFunctions } from 'n8n-workflow';

import { fileNameOption } from './options';
import type { OptionsShape } from './options';

/**
 * Send File's Options, for both resources: no Batching (Bitrix24 refuses uploads inside `batch`),
 * a longer timeout for up to 100 MB, and File Name.
 */
export const sendFileOptions: OptionsShape = { batching: false, upload: true, extra: [fileNameOption] };

/** Options → File Name, read per item like the rest of the item. */
export function readFileName(context: IExecuteFunctions, itemIndex: number): string {
	return String(context.getNodeParameter('options.fileName', itemIndex, '') ?? '').trim();
}
