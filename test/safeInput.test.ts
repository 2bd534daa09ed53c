import type { ICredentialDataDecryptedObject } from 'n8n-workflow';

import { Bitrix24WebhookApi } from '../credentials/Bitrix24WebhookApi.credentials';
import { TestCredentialStore } from './harness/credentialStore';
import { connectedOAuthCredential, OAUTH_STORED_AS } from './harness/oauthCredential';
import { runBitrix24, searchInEditor } from './harness/runWorkflow';
import {
	fromItem,
	richJson,
	sendParameters,
	useFakePortal,
	WEBHOOK_CODE,
	webhookCredentials,
} from './harness/fixtures';

const portal = useFakePortal();

const restRequests = () => portal().httpRequests.filter((request) => request.path.startsWith('/rest/'));

describe('an OAuth2 credential that was never connected', () => {
	it.each([
		['no token data', undefined],
		['empty token data', {}],
		['token data without an access token', { refresh_token: 'x' }],
	])('%s: says to connect it first, and sends nothing', async (_label, oauthTokenData) => {
		const credential = await connectedOAuthCredential(portal());
		const store = new TestCredentialStore();
		const unconnected: ICredentialDataDecryptedObject = { ...credential };
		if (oauthTokenData === undefined) delete unconnected.oauthTokenData;
		else unconnected.oauthTokenData = oauthTokenData;
		store.set(OAUTH_STORED_AS, 'bitrix24OAuth2Api', unconnected);

		const result = await runBitrix24({ store, parameters: sendParameters({ authentication: 'oAuth2' }) });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Connect the Bitrix24 OAuth2 credential first/);
		expect(result.error?.message).not.toMatch(/UNKNOWN_NETWORK_ERROR|may or may not/);
		expect(restRequests()).toHaveLength(0);
		await expect(
			searchInEditor('searchDialogs', { store, parameters: sendParameters({ authentication: 'oAuth2' }) }),
		).rejects.toThrow(/Connect the Bitrix24 OAuth2 credential first/);
	});
});

describe('webhook URLs that read differently from where they go are refused before sending', () => {
	const base = () => portal().url.replace('http://', '');
	it.each([
		['a backslash before @', () => `http://evil.example\\@${base()}/rest/1/${WEBHOOK_CODE}/`, /backslash/],
		['a backslash in the path', () => `http://${base()}/rest\\1/${WEBHOOK_CODE}/`, /backslash/],
		[
			'a tab in the host',
			() => `http://127.0.\t0.1:${portal().url.split(':')[2]}/rest/1/${WEBHOOK_CODE}/`,
			/space, a tab/,
		],
		['a line break in the path', () => `http://${base()}/rest/1/\n${WEBHOOK_CODE}/`, /line break/],
		['a space in the path', () => `http://${base()}/rest/1/ ${WEBHOOK_CODE}/`, /space/],
		['a zero-width space', () => `http://${base()}/rest/1/\u200b${WEBHOOK_CODE}/`, /invisible/],
		['user info', () => `http://portal.example@${base()}/rest/1/${WEBHOOK_CODE}/`, /user info/],
		[
			'a percent-encoded host',
			() => `http://%31%32%37.0.0.1:${portal().url.split(':')[2]}/rest/1/${WEBHOOK_CODE}/`,
			/not as written/,
		],
		[
			'a shortened IP address',
			() => `http://127.1:${portal().url.split(':')[2]}/rest/1/${WEBHOOK_CODE}/`,
			/not as written/,
		],
	])('%s', async (_label, makeUrl, reason) => {
		const result = await runBitrix24({
			credentials: { bitrix24WebhookApi: { webhookUrl: makeUrl() } },
			parameters: sendParameters(),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Credential "Webhook URL": The Bitrix24 webhook URL /);
		expect(result.error?.message).toMatch(reason);
		expect(result.error?.message).not.toContain(WEBHOOK_CODE);
		expect(portal().stats.httpRequests).toBe(0);
	});

	it('surrounding spaces from a paste are trimmed, and the URL works', async () => {
		const result = await runBitrix24({
			credentials: { bitrix24WebhookApi: { webhookUrl: `  ${portal().webhookUrl}\n` } },
			parameters: sendParameters(),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);
	});
});

describe('http:// webhook URLs', () => {
	it('still work (self-hosted portals on a LAN), and the field says the secret then travels in clear text', async () => {
		expect(portal().webhookUrl.startsWith('http://')).toBe(true);
		const result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters: sendParameters() });
		expect(result.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);

		const field = new Bitrix24WebhookApi().properties.find((property) => property.name === 'webhookUrl');
		expect(field?.hint).toMatch(/http:\/\/.*clear text/);
	});
});

describe('links in attachments, keyboards and menus', () => {
	it.each([
		[
			'an attachment image',
			{ attach: richJson(JSON.stringify([{ IMAGE: [{ LINK: '//evil.example/x.png' }] }])) },
			/Invalid "Attachment" in item 0: \[0\]\.IMAGE\[0\]\.LINK is not a page of your portal/,
		],
		[
			'an attachment link',
			{ attach: richJson(JSON.stringify([{ LINK: { LINK: '/\\evil.example' } }])) },
			/Invalid "Attachment" in item 0: \[0\]\.LINK\.LINK is not a page of your portal/,
		],
		[
			'a keyboard button',
			{ keyboard: richJson(JSON.stringify([{ TEXT: 'Go', LINK: '//evil.example' }])) },
			/Invalid "Keyboard" in item 0: \[0\]\.LINK is not a page of your portal/,
		],
		[
			'a menu item',
			{ menu: richJson(JSON.stringify([{ TEXT: 'Go', LINK: '/\t/evil.example' }])) },
			/Invalid "Menu" in item 0: \[0\]\.LINK is not a page of your portal/,
		],
	])('refuses //host and /\\host in %s: they open another site', async (_label, fields, expected) => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters(fields),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(expected);
		expect(portal().stats.httpRequests).toBe(0);
	});

	it('refuses //host in a keyboard built in the editor too', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				keyboard: {
					content: {
						mode: 'builder',
						buttons: { button: [{ text: 'Go', clickAction: 'link', url: '//evil.example' }] },
					},
				},
			}),
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/is not a page of your portal/);
		expect(portal().stats.httpRequests).toBe(0);
	});

	it('still accepts real portal paths and absolute links', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({
				additionalFields: {
					keyboard: JSON.stringify([
						{ TEXT: 'a', LINK: '/company/personal/user/1/' },
						{ TEXT: 'b', LINK: 'https://example.com/x' },
					]),
				},
			}),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);
	});

	it('a button with ACTION and LINK: null is accepted (null means not given)', async () => {
		const keyboard = [{ TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: '42', LINK: null, COMMAND: null }];
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ keyboard }],
			parameters: sendParameters({
				keyboard: richJson(fromItem('keyboard')),
				menu: richJson(JSON.stringify([{ TEXT: 'm', ACTION: 'PUT', ACTION_VALUE: 'x', LINK: null }])),
			}),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages[0].keyboard).toMatchObject([{ TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: '42' }]);
	});
});

describe('Reply To Message ID', () => {
	it.each([
		['0, the value the editor puts in when the field is added', 0],
		['empty, from an expression', ''],
	])('%s means "not a reply"', async (_label, replyId) => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			items: [{ replyId }],
			parameters: sendParameters({ additionalFields: { replyId: replyId === 0 ? 0 : fromItem('replyId') } }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);
		expect(portal().messages[0].replyId).toBeUndefined();
		expect(portal().calls[0].params).not.toHaveProperty('REPLY_ID');
	});
});

describe('Timeout (Seconds)', () => {
	it.each([0, 0.5, -3])(
		'%s from an expression is refused before sending (0 would mean no timeout at all)',
		async (seconds) => {
			const result = await runBitrix24({
				credentials: webhookCredentials(portal()),
				items: [{ seconds }],
				parameters: sendParameters({ options: { timeoutSeconds: fromItem('seconds') } }),
			});
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(
				/Invalid "Timeout \(Seconds\)" in item 0: ".*" is not a number of seconds of at least 1/,
			);
			expect(portal().stats.httpRequests).toBe(0);
		},
	);

	it('1 second is accepted', async () => {
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ options: { timeoutSeconds: 1 } }),
		});
		expect(result.error).toBeUndefined();
	});
});
