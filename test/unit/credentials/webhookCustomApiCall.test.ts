import type { IHttpRequestOptions } from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../../../credentials/Bitrix24WebhookApi.credentials';

const SECRET = 'webhookSecret0123';
const credentials = { webhookUrl: `https://mycompany.bitrix24.com/rest/7/${SECRET}/` };

async function addressed(options: Partial<IHttpRequestOptions> & { uri?: string }): Promise<Record<string, unknown>> {
	const authenticate = new Bitrix24WebhookApi().authenticate;
	return (await authenticate(credentials, options as IHttpRequestOptions)) as unknown as Record<string, unknown>;
}

describe('the webhook credential with an absolute URL (n8n\'s "Custom API Call" through HTTP Request)', () => {
	it("keeps the node's own method-name requests on the webhook base", async () => {
		const result = await addressed({ url: 'im.message.add.json', method: 'POST' });
		expect(result.baseURL).toBe(`https://mycompany.bitrix24.com/rest/7/${SECRET}/`);
		expect(result.url).toBe('im.message.add.json');
	});

	it.each([
		['https://mycompany.bitrix24.com/rest/im.recent.list.json', 'im.recent.list.json'],
		['https://mycompany.bitrix24.com/rest/im.recent.list', 'im.recent.list'],
		['https://mycompany.bitrix24.com/rest/profile?x=1', 'profile?x=1'],
		[`https://mycompany.bitrix24.com/rest/7/${SECRET}/im.dialog.get.json`, 'im.dialog.get.json'],
	])('puts the user and secret into %s', async (written, method) => {
		const expected = `https://mycompany.bitrix24.com/rest/7/${SECRET}/${method}`;
		const modern = await addressed({ url: written });
		expect(modern.url).toBe(expected);
		expect(modern.disableFollowRedirect).toBe(true);
		// The HTTP Request node goes through n8n's legacy request helper, which reads `uri`.
		const legacy = await addressed({ uri: written });
		expect(legacy.uri).toBe(expected);
		expect(legacy.followRedirect).toBe(false);
		expect(legacy.followAllRedirects).toBe(false);
	});

	it.each([
		[
			'another host',
			'https://evil.example/rest/im.recent.list.json',
			/only to its own portal \(https:\/\/mycompany\.bitrix24\.com\); the URL names https:\/\/evil\.example/,
		],
		['another port', 'https://mycompany.bitrix24.com:8443/rest/profile', /only to its own portal/],
		['plain http to an https portal', 'http://mycompany.bitrix24.com/rest/profile', /only to its own portal/],
		['a look-alike host', 'https://mycompany.bitrix24.com.evil.example/rest/profile', /only to its own portal/],
		['user info before the host', 'https://mycompany.bitrix24.com@evil.example/rest/profile', /user info/],
		['a path that is not a method', 'https://mycompany.bitrix24.com/crm/deal/', /must name one REST method/],
		[
			"another webhook's secret",
			'https://mycompany.bitrix24.com/rest/7/someoneElse999/profile',
			/must name one REST method/,
		],
	])('refuses %s before any request, without the secret in the message', async (_case, written, message) => {
		for (const options of [{ url: written }, { uri: written }]) {
			const attempt = addressed(options);
			await expect(attempt).rejects.toThrow(message);
			await attempt.catch((error: Error) => expect(error.message).not.toContain(SECRET));
		}
	});
});
