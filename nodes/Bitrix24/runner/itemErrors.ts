import type { IExecuteFunctions, NodeApiError } from 'n8n-workflow';

import { failureToNodeApiError } from '../transport';
import type { Bitrix24Failure } from '../transport';

/**
 * The node error for a failed call, worded for the operation when the outcome is unknown: the
 * transport's wording speaks of messages, the operation knows what was at stake ("the like may or
 * may not have been changed") and whether the call was asked again.
 */
export function callFailureError(
	context: IExecuteFunctions,
	failure: Bitrix24Failure,
	itemIndex: number,
	uncertainty: string,
	idempotent: boolean,
): NodeApiError {
	if (!failure.deliveryUnknown) return failureToNodeApiError(context.getNode(), failure, itemIndex);
	const why = idempotent
		? 'Bitrix24 did not answer, also when asked again'
		: 'The request may have reached Bitrix24, so it was not sent again';
	const worded: Bitrix24Failure = {
		...failure,
		deliveryUnknown: false,
		description: `${failure.description}. ${why}: ${uncertainty}`,
	};
	return failureToNodeApiError(context.getNode(), worded, itemIndex);
}
