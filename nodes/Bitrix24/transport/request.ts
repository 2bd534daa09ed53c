import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import { readBody, readThrown } from './answer';
import type { Outcome } from './answer';
import type { Bitrix24Connection, Bitrix24Context } from './connection';
import { SerializedJsonBody } from './serializedBody';
import { NO_REDIRECTS, redirectFailure } from './redirectGuard';

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

/** The HTTP request for one REST call: every request to Bitrix24 is built here. */
export function buildRequestOptions(
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject | SerializedJsonBody,
	timeoutMs: number,
): IHttpRequestOptions {
	const serialized = params instanceof SerializedJsonBody;
	return {
		method: 'POST',
		url: connection.urlFor(method),
		body: serialized ? params.bytes : params,
		...(serialized ? { headers: { 'Content-Type': 'application/json' } } : {}),
		json: true,
		returnFullResponse: true,
		timeout: timeoutMs,
		// Webhook calls read Bitrix24's error body whatever the status. OAuth2 calls must let the
		// 401 reach n8n's helper: that is what triggers (and persists) the token refresh.
		ignoreHttpStatusErrors: connection.authentication === 'webhook',
		...NO_REDIRECTS,
	};
}

/** The portal's host for messages: never the URL, which holds the webhook secret. */
function hostOf(connection: Bitrix24Connection): string {
	try {
		return new URL(connection.portal).host;
	} catch {
		return 'the Bitrix24 portal';
	}
}

/** One HTTP exchange, read into an Outcome. Never throws. */
export async function exchange(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject | SerializedJsonBody,
	timeoutMs: number,
): Promise<Outcome> {
	const request = buildRequestOptions(connection, method, params, timeoutMs);
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			connection.credentialType,
			request,
			// Bitrix24's token endpoint wants client_id/client_secret in the refresh request body.
			connection.authentication === 'oAuth2' ? { oauth2: { includeCredentialsOnRefreshOnBody: true } } : undefined,
		)) as IN8nHttpFullResponse;
		const redirect = redirectFailure(response.statusCode, response.headers, connection.portal);
		if (redirect) return { ok: false, failure: redirect };
		return readBody(response.statusCode, response.headers, response.body);
	} catch (error) {
		return readThrown(error, hostOf(connection), connection.portal);
	}
}
