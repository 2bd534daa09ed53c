import { CredentialTestContext } from 'n8n-core';
import type { ICredentialsDecrypted, IWorkflowExecuteAdditionalData } from 'n8n-workflow';

import { readThrown } from '../nodes/Bitrix24/transport/answer';
import {
	bitrix24WebhookApiTest,
	networkFailureMessage,
	WEBHOOK_TEST_MESSAGES,
	webhookTestOutcome,
} from '../nodes/Bitrix24/methods/webhookCredentialTest';
import { useFakePortal, WEBHOOK_CODE } from './harness/fixtures';
import { startOtherHost } from './harness/otherHost';
import type { OtherHost } from './harness/otherHost';

const portal = useFakePortal();

/** Runs the Test button's function the way n8n's credentials tester does: in n8n-core's own context. */
async function testWebhook(webhookUrl: string) {
	const context = new CredentialTestContext({} as IWorkflowExecuteAdditionalData);
	const credential: ICredentialsDecrypted = {
		id: '',
		name: 'Bitrix24 test button',
		type: 'bitrix24WebhookApi',
		data: { webhookUrl },
	};
	const result = await bitrix24WebhookApiTest.call(context, credential);
	expect(result.message).not.toContain(WEBHOOK_CODE);
	return result;
}

describe("the webhook credential's Test button", () => {
	let other: OtherHost;
	beforeAll(async () => {
		other = await startOtherHost();
	});
	afterAll(async () => {
		await other.close();
	});

	it('passes a working webhook with the im scope, after one im.recent.list call', async () => {
		expect(await testWebhook(portal().webhookUrl)).toEqual({ status: 'OK', message: WEBHOOK_TEST_MESSAGES.ok });
		expect(portal().calls.map((call) => call.method)).toEqual(['im.recent.list']);
	});

	it('tells apart a revoked secret', async () => {
		portal().revokeWebhook();
		expect(await testWebhook(portal().webhookUrl)).toEqual({
			status: 'Error',
			message: WEBHOOK_TEST_MESSAGES.invalidCredentials,
		});
	});

	it('tells apart a webhook without the im scope', async () => {
		portal().setWebhookScopes(['user']);
		expect(await testWebhook(portal().webhookUrl)).toEqual({
			status: 'Error',
			message: WEBHOOK_TEST_MESSAGES.insufficientScope,
		});
	});

	it('tells apart a URL under which no Bitrix24 REST API answers, naming only the HTTP status', async () => {
		expect(await testWebhook(`${portal().url}/wiki/rest/1/abc123/`)).toEqual({
			status: 'Error',
			message: `${WEBHOOK_TEST_MESSAGES.notBitrix24} (it answered HTTP 404)`,
		});
	});

	it('words a portal that refuses the connection, with the network code last', async () => {
		expect(await testWebhook('http://127.0.0.1:9/rest/1/abc123/')).toEqual({
			status: 'Error',
			message: 'Could not connect to 127.0.0.1:9: is the portal address right and reachable from n8n? (ECONNREFUSED)',
		});
	});

	it('reports a redirect by its target host and does not follow it', async () => {
		portal().inject({ kind: 'redirect', method: '*', status: 307, redirectTo: other.url });
		const result = await testWebhook(portal().webhookUrl);
		expect(result.status).toBe('Error');
		expect(result.message).toContain(`redirect to ${other.host}: update the credential`);
		expect(other.received).toHaveLength(0);
	});

	it('refuses a URL that is not in the webhook form before any request', async () => {
		const result = await testWebhook('https://example.bitrix24.com/rest/im.message.add');
		expect(result).toEqual({ status: 'Error', message: expect.stringMatching(/expected form/) });
	});
});

describe('network failures in words', () => {
	it.each([
		['ENOTFOUND', /^Could not connect to portal\.example: is the portal address right/],
		['EAI_AGAIN', /^Could not connect to portal\.example: /],
		['ETIMEDOUT', /^portal\.example did not answer within 20 seconds: /],
		['ECONNABORTED', /^portal\.example did not answer within 20 seconds: /],
		['ECONNRESET', /^The connection to portal\.example broke before Bitrix24 answered: /],
		['CERT_HAS_EXPIRED', /^The HTTPS certificate of portal\.example was not accepted: /],
		['DEPTH_ZERO_SELF_SIGNED_CERT', /^The HTTPS certificate of portal\.example was not accepted: /],
		['ERR_TLS_CERT_ALTNAME_INVALID', /^The HTTPS certificate of portal\.example was not accepted: /],
	])('%s', (code, wording) => {
		const message = networkFailureMessage(code, 'portal.example');
		expect(message).toMatch(wording);
		expect(message.endsWith(`(${code})`)).toBe(true);
	});

	it('reads the code from a thrown error as the transport does, without its URL', () => {
		const thrown = Object.assign(new Error(`getaddrinfo ENOTFOUND portal.example /rest/1/${WEBHOOK_CODE}/`), {
			code: 'ENOTFOUND',
		});
		const result = webhookTestOutcome(readThrown(thrown, 'portal.example', 'https://portal.example'), 'portal.example');
		expect(result).toEqual({
			status: 'Error',
			message: 'Could not connect to portal.example: is the portal address right and reachable from n8n? (ENOTFOUND)',
		});
	});
});
