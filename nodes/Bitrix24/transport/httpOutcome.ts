import type { IDataObject, IHttpRequestOptions, IN8nHttpFullResponse } from 'n8n-workflow';

import type { Bitrix24Connection, Bitrix24Context } from './connection';
import { SerializedJsonBody } from './serializedBody';

/**
 * One HTTP exchange with Bitrix24, reduced to what the retry logic needs to decide. Nothing here
 * keeps the raw HTTP error: it carries the request URL, and for webhooks that URL holds the secret.
 */
export type HttpOutcome =
	| { kind: 'success'; status: number; body: IDataObject }
	| { kind: 'api-error'; status: number; code: string; description: string; body: IDataObject }
	| { kind: 'not-json'; status: number; contentType: string }
	| { kind: 'network'; errorCode: string; sent: boolean }
	| { kind: 'reconnect'; reason: string };

/** Errors raised before any byte left: retrying cannot post a message twice. */
const NOT_SENT_ERROR_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH']);

export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;

function interpretBody(status: number, contentType: string, rawBody: unknown): HttpOutcome {
	let body = rawBody;
	if (typeof body === 'string' || Buffer.isBuffer(body)) {
		const text = body.toString();
		try {
			body = JSON.parse(text);
		} catch {
			return { kind: 'not-json', status, contentType: contentType || 'unknown content type' };
		}
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) {
		return { kind: 'not-json', status, contentType: contentType || 'unknown content type' };
	}
	const envelope = body as IDataObject;
	// `error` may be an empty string on some failures: its presence is what counts.
	if ('error' in envelope) {
		return {
			kind: 'api-error',
			status,
			code: String(envelope.error || 'UNKNOWN_ERROR'),
			description: typeof envelope.error_description === 'string' ? envelope.error_description : '',
			body: envelope,
		};
	}
	if (status >= 300) {
		return { kind: 'api-error', status, code: `HTTP_${status}`, description: 'Unexpected answer', body: envelope };
	}
	return { kind: 'success', status, body: envelope };
}

interface ErrorLike {
	code?: unknown;
	message?: unknown;
	name?: unknown;
	cause?: unknown;
	response?: { status?: unknown; headers?: Record<string, unknown>; data?: unknown; body?: unknown };
	body?: unknown;
	description?: unknown;
}

function causes(error: unknown): ErrorLike[] {
	const chain: ErrorLike[] = [];
	let current: unknown = error;
	while (current && typeof current === 'object' && chain.length < 6) {
		chain.push(current as ErrorLike);
		current = (current as ErrorLike).cause;
	}
	return chain;
}

function interpretThrown(error: unknown): HttpOutcome {
	const chain = causes(error);
	// n8n's OAuth2 helper gives up on a refresh that the token server refused: the user must reconnect.
	for (const link of chain) {
		const body = link.body as { error?: unknown } | undefined;
		if (link.name === 'AuthError' || (body && typeof body.error === 'string' && /^invalid_(grant|client)$/.test(body.error))) {
			return { kind: 'reconnect', reason: typeof body?.error === 'string' ? body.error : 'token refresh refused' };
		}
		if (typeof link.message === 'string' && /needs to be reconnected/.test(link.message)) {
			return { kind: 'reconnect', reason: 'invalid_grant' };
		}
	}
	for (const link of chain) {
		const response = link.response;
		if (response && typeof response.status === 'number') {
			const contentType = String(response.headers?.['content-type'] ?? '');
			return interpretBody(response.status, contentType, response.data ?? response.body);
		}
	}
	for (const link of chain) {
		if (typeof link.code === 'string' && /^E[A-Z_]+$/.test(link.code)) {
			return { kind: 'network', errorCode: link.code, sent: !NOT_SENT_ERROR_CODES.has(link.code) };
		}
	}
	// Nothing recognisable: treat as a failure after sending, the safe assumption for a POST.
	return { kind: 'network', errorCode: 'UNKNOWN_NETWORK_ERROR', sent: true };
}

export async function exchange(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject | SerializedJsonBody,
	timeoutMs: number,
): Promise<HttpOutcome> {
	const serialized = params instanceof SerializedJsonBody;
	const request: IHttpRequestOptions = {
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
	};
	try {
		const response = (await context.helpers.httpRequestWithAuthentication.call(
			context,
			connection.credentialType,
			request,
			// Bitrix24's token endpoint wants client_id/client_secret in the refresh request body.
			connection.authentication === 'oAuth2' ? { oauth2: { includeCredentialsOnRefreshOnBody: true } } : undefined,
		)) as IN8nHttpFullResponse;
		const contentType = String(response.headers?.['content-type'] ?? '');
		return interpretBody(response.statusCode, contentType, response.body);
	} catch (error) {
		return interpretThrown(error);
	}
}
