import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

import { callMethod, failureToNodeApiError } from '../Bitrix24/transport';
import type { Bitrix24Connection, Bitrix24Context } from '../Bitrix24/transport';
import { parseWebhookUrl } from '../Bitrix24/shared/webhookUrl';
import { objectOf } from '../Bitrix24/shared/jsonValue';

function positiveInteger(value: unknown): number | undefined {
	const number = Number(value);
	return Number.isInteger(number) && number > 0 ? number : undefined;
}

/**
 * The Bitrix24 user the credential acts as: whose event queue the trigger reads, and whose own
 * messages it skips. A webhook URL names its user; an OAuth token answer carries `user_id`,
 * and `profile` (callable with any scope) answers for tokens stored without it.
 */
export async function resolveOwnUserId(context: Bitrix24Context, connection: Bitrix24Connection): Promise<number> {
	const credentials = await context.getCredentials(connection.credentialType);
	if (connection.authentication === 'webhook') {
		const userId = positiveInteger(parseWebhookUrl(credentials.webhookUrl).userId);
		if (userId !== undefined) return userId;
	} else {
		const tokenData = (credentials.oauthTokenData ?? {}) as IDataObject;
		const userId = positiveInteger(tokenData.user_id);
		if (userId !== undefined) return userId;
	}
	const outcome = await callMethod(context, connection, 'profile', {});
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	const userId = positiveInteger(objectOf(outcome.body.result).ID);
	if (userId === undefined) {
		throw new NodeOperationError(
			context.getNode(),
			'Bitrix24 did not say which user the credential belongs to (profile has no ID)',
		);
	}
	return userId;
}
