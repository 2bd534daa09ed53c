import type { ICredentialsDecrypted, ICredentialTestFunctions, INodeCredentialTestResult } from 'n8n-workflow';

import { readBody, readThrown } from '../transport/answer';
import type { Answer } from '../transport/answer';
import { PORTAL_REDIRECT_CODE, redirectFailure } from '../transport/redirectGuard';
import { isNothingSentNetworkCode } from '../transport/retryPolicy';
import { InvalidWebhookUrlError, parseWebhookUrl, WEBHOOK_URL_EXPECTED_FORM } from '../transport/webhookUrl';

/**
 * The webhook credential's Test button. A function rather than the credential's declarative
 * `test`: for a request that never got an answer, n8n's declarative tester shows only the bare
 * network code (ECONNREFUSED), and nothing in the declarative rules can word it.
 *
 * It asks for one recent chat: that needs the `im` scope, so one call tells apart a wrong URL, a
 * revoked secret and a webhook without the scope. Messages name the host only, never the URL:
 * the secret is in its path.
 */

export const WEBHOOK_TEST_TIMEOUT_MS = 20_000;

export const WEBHOOK_TEST_MESSAGES = {
	ok: 'Connection successful: Bitrix24 accepted the webhook and its "im" scope',
	insufficientScope:
		'The webhook works but lacks the "im" scope: edit the inbound webhook in Bitrix24, tick "Chat and notifications (im)", save, and try again',
	invalidCredentials:
		'Bitrix24 refused the webhook secret (INVALID_CREDENTIALS): the webhook was deleted or re-created. Copy the current URL from Bitrix24',
	noAuthFound:
		'Bitrix24 did not recognise the webhook (NO_AUTH_FOUND): check the user ID and secret in the URL, or re-create the webhook',
	notBitrix24: `This URL did not answer like a Bitrix24 inbound webhook. Expected form: ${WEBHOOK_URL_EXPECTED_FORM}`,
} as const;

const TIMEOUT_CODE_PATTERN = /^(?:ETIMEDOUT|ESOCKETTIMEDOUT|ECONNABORTED|UND_ERR_(?:HEADERS|BODY)_TIMEOUT)$/;

const CERTIFICATE_CODE_PATTERN =
	/^(?:CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|HOSTNAME_MISMATCH)/;

/** A connection that failed before any answer, in words; the network code stays at the end. */
export function networkFailureMessage(code: string, host: string): string {
	if (isNothingSentNetworkCode(code)) {
		return `Could not connect to ${host}: is the portal address right and reachable from n8n? (${code})`;
	}
	if (TIMEOUT_CODE_PATTERN.test(code)) {
		return `${host} did not answer within ${WEBHOOK_TEST_TIMEOUT_MS / 1000} seconds: is the portal address right and reachable from n8n? (${code})`;
	}
	if (CERTIFICATE_CODE_PATTERN.test(code)) {
		return `The HTTPS certificate of ${host} was not accepted: check that the address is the portal's own, and that its certificate is valid and trusted by n8n (${code})`;
	}
	return `The connection to ${host} broke before Bitrix24 answered: is the portal address right and reachable from n8n? (${code})`;
}

/** The Test button's verdict on one answer (or failed connection) from the webhook's host. */
export function webhookTestOutcome(answer: Answer, host: string): INodeCredentialTestResult {
	if (answer.ok) return { status: 'OK', message: WEBHOOK_TEST_MESSAGES.ok };
	const { failure } = answer;
	if (failure.network) return { status: 'Error', message: networkFailureMessage(failure.code, host) };
	switch (failure.code) {
		case 'insufficient_scope':
			return { status: 'Error', message: WEBHOOK_TEST_MESSAGES.insufficientScope };
		case 'INVALID_CREDENTIALS':
			return { status: 'Error', message: WEBHOOK_TEST_MESSAGES.invalidCredentials };
		case 'NO_AUTH_FOUND':
			return { status: 'Error', message: WEBHOOK_TEST_MESSAGES.noAuthFound };
		case PORTAL_REDIRECT_CODE:
			// Its description names only the redirect's target host.
			return { status: 'Error', message: failure.description };
		default:
			// Only the status is shown: another server's body or error code may echo the URL, secret included.
			return {
				status: 'Error',
				message: `${WEBHOOK_TEST_MESSAGES.notBitrix24}${failure.httpStatus ? ` (it answered HTTP ${failure.httpStatus})` : ''}`,
			};
	}
}

interface LegacyFullResponse {
	statusCode: number;
	headers?: Record<string, unknown>;
	body?: unknown;
}

export async function bitrix24WebhookApiTest(
	this: ICredentialTestFunctions,
	credential: ICredentialsDecrypted,
): Promise<INodeCredentialTestResult> {
	let webhook;
	try {
		webhook = parseWebhookUrl(credential.data?.webhookUrl);
	} catch (error) {
		// Its messages never repeat the URL; anything else thrown here is not shown, for the same reason.
		const message =
			error instanceof InvalidWebhookUrlError
				? error.message
				: `The Bitrix24 webhook URL is not in the expected form ${WEBHOOK_URL_EXPECTED_FORM}`;
		return { status: 'Error', message };
	}
	const host = new URL(webhook.origin).host;
	let answer: Answer;
	try {
		// eslint-disable-next-line @n8n/community-nodes/no-deprecated-workflow-functions -- a credential test's context offers no other HTTP helper
		const response = (await this.helpers.request({
			method: 'POST',
			uri: `${webhook.restBase}im.recent.list.json`,
			body: { LIMIT: 1 },
			json: true,
			timeout: WEBHOOK_TEST_TIMEOUT_MS,
			// Every status comes back as an answer, to be read like any Bitrix24 answer.
			simple: false,
			resolveWithFullResponse: true,
			// A redirect would carry the secret (it is in the path) to the Location's host.
			followRedirect: false,
			followAllRedirects: false,
		})) as LegacyFullResponse;
		const redirect = redirectFailure(response.statusCode, response.headers, webhook.origin);
		answer = redirect
			? { ok: false, failure: redirect }
			: readBody(response.statusCode, response.headers, response.body);
	} catch (error) {
		answer = readThrown(error, host, webhook.origin);
	}
	return webhookTestOutcome(answer, host);
}
