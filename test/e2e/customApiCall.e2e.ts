/**
 * n8n's "Custom API Call": the HTTP Request node with the Bitrix24 webhook credential as its
 * predefined credential type, in real n8n. The person types the method's address on the portal;
 * the credential adds the webhook's user and secret, and refuses any other host.
 */
import {
	credentialReference,
	linearWorkflow,
	manualTriggerNode,
	oauth2Credential,
	webhookCredential,
} from '../../scripts/lib/bitrix24Fixtures';
import type { CredentialFixture, OAuth2TokenData, WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { nodeOutputItems } from '../../scripts/lib/n8nCli';
import { FAKE_CLIENT_CODE, startFakePortal } from '../fakePortal';
import { authorizationCodeGrant, OAUTH_CLIENT_ID } from '../harness/oauthCredential';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

const HTTP_NODE = 'Custom API Call';

let portal: FakePortal;
let n8n: HeadlessN8n;

let oauthCredential: CredentialFixture;

const credential = () => webhookCredential('e2eCustomApiCred', 'Bitrix24 custom API call', portal.webhookUrl);
const secretOf = (webhookUrl: string) => /\/rest\/\d+\/([^/]+)\//.exec(webhookUrl)?.[1] ?? 'no secret found';

function customApiCallWorkflow(id: string, url: string, nodeCredential = credential()): WorkflowFixture {
	return linearWorkflow(id, `e2e: custom API call ${id}`, [
		manualTriggerNode(id),
		{
			id: `${id}-http`,
			name: HTTP_NODE,
			type: 'n8n-nodes-base.httpRequest',
			typeVersion: 4.2,
			position: [220, 0],
			parameters: {
				method: 'POST',
				url,
				authentication: 'predefinedCredentialType',
				nodeCredentialType: nodeCredential.type,
				sendBody: true,
				specifyBody: 'json',
				jsonBody: '{"DIALOG_ID": "chat1", "MESSAGE": "sent through Custom API Call"}',
				options: {},
			},
			credentials: credentialReference(nodeCredential),
		},
	]);
}

const workflows = () => ({
	onPortal: customApiCallWorkflow('e2eCustomApiOk01', `${portal.url}/rest/im.message.add.json`),
	otherHost: customApiCallWorkflow('e2eCustomApiOther', 'http://127.0.0.2:9/rest/im.message.add.json'),
	oauth: customApiCallWorkflow('e2eCustomApiOAuth', `${portal.url}/rest/im.message.add.json`, oauthCredential),
});

beforeAll(async () => {
	portal = await startFakePortal();
	oauthCredential = oauth2Credential('e2eCustomApiOAut', 'Bitrix24 custom API call OAuth2', {
		portalUrl: portal.url,
		accessTokenUrl: portal.tokenUrl,
		clientId: OAUTH_CLIENT_ID,
		clientSecret: FAKE_CLIENT_CODE,
		tokenData: (await authorizationCodeGrant(portal)) as OAuth2TokenData,
	});
	n8n = await n8nWith([credential(), oauthCredential], Object.values(workflows()));
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

beforeEach(() => portal.reset());

test('a method address on the portal is called with the webhook user and secret added', async () => {
	const { command, run } = await n8n.execute(workflows().onPortal.id);

	expect(run?.status).toBe('success');
	expect(portal.messages.map(({ dialogId, message }) => ({ dialogId, message }))).toEqual([
		{ dialogId: 'chat1', message: 'sent through Custom API Call' },
	]);
	expect(portal.httpRequests.map((request) => request.path)).toEqual(['/rest/1/***/im.message.add.json']);
	const [output] = nodeOutputItems(run!, HTTP_NODE);
	expect(output.result).toBe(portal.messages[0].id);
	expect(command.stdout + command.stderr).not.toContain(secretOf(portal.webhookUrl));
});

test('another host is refused before any request, and the error does not show the secret', async () => {
	const { command, run } = await n8n.execute(workflows().otherHost.id);

	expect(run?.status).not.toBe('success');
	const error = run?.data.resultData.error;
	expect(`${error?.message} ${error?.description}`).toMatch(/only to its own portal/);
	expect(portal.httpRequests).toEqual([]);
	expect(command.stdout + command.stderr).not.toContain(secretOf(portal.webhookUrl));
});

test("with the OAuth2 credential, n8n's OAuth2 helper sends the token and refreshes an expired one", async () => {
	portal.expireAccessTokens();

	const { run } = await n8n.execute(workflows().oauth.id);

	expect(run?.status).toBe('success');
	expect(portal.tokens.refreshGrants).toBe(1);
	expect(portal.messages.map(({ dialogId, message, auth }) => ({ dialogId, message, auth }))).toEqual([
		{ dialogId: 'chat1', message: 'sent through Custom API Call', auth: 'oauth' },
	]);
});
