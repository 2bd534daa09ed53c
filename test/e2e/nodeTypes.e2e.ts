/**
 * What the editor sees: `n8n start` with the package installed as a community package, the
 * owner logged in, and the node and credential types n8n serves to the editor
 * (/types/nodes.json and /types/credentials.json, the files the editor UI loads).
 */
import { NODE_TYPE, OAUTH2_CREDENTIAL_TYPE, WEBHOOK_CREDENTIAL_TYPE } from '../../scripts/lib/bitrix24Fixtures';
import { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { getAsOwner, ownerSession, postAsOwner, startN8nServer } from '../../scripts/lib/n8nServer';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { readE2eContext } from './e2eContext';

interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	properties: Array<{ name: string }>;
}
interface CredentialTypeDescription {
	name: string;
	displayName: string;
	extends?: string[];
	properties: Array<{ name: string }>;
}

let n8n: HeadlessN8n;
let server: RunningN8n;
let nodeTypes: NodeTypeDescription[];
let credentialTypes: CredentialTypeDescription[];
let cookie: string;
let portal: FakePortal;

beforeAll(async () => {
	const context = readE2eContext();
	n8n = await HeadlessN8n.create(context);
	server = await startN8nServer({ installation: context.installation, env: n8n.env });
	portal = await startFakePortal();
	cookie = await ownerSession(server.url, {
		email: 'owner@example.test',
		password: 'E2e-owner-passw0rd',
		firstName: 'E2E',
		lastName: 'Owner',
	});
	nodeTypes = await getAsOwner<NodeTypeDescription[]>(server.url, '/types/nodes.json', cookie);
	credentialTypes = await getAsOwner<CredentialTypeDescription[]>(server.url, '/types/credentials.json', cookie);
});

afterAll(async () => {
	await server?.stop();
	await portal?.close();
	n8n?.dispose();
});

test('the editor is served the Bitrix24 node from the community package', () => {
	const bitrix24 = nodeTypes.filter((type) => type.name === NODE_TYPE);
	expect(bitrix24).toHaveLength(1);
	expect(bitrix24[0].displayName).toBe('Bitrix24');
	expect(bitrix24[0].credentials?.map((credential) => credential.name).sort()).toEqual(
		[OAUTH2_CREDENTIAL_TYPE, WEBHOOK_CREDENTIAL_TYPE].sort(),
	);
	expect(bitrix24[0].properties.map((property) => property.name)).toEqual(
		expect.arrayContaining(['authentication', 'resource', 'operation', 'dialogId', 'message', 'additionalFields', 'options']),
	);
	// Built-in nodes are there too: the list is n8n's full catalogue, not only ours.
	expect(nodeTypes.some((type) => type.name === 'n8n-nodes-base.manualTrigger')).toBe(true);
});

test('both credential types are served, the OAuth2 one extending n8n\'s oAuth2Api', () => {
	const webhook = credentialTypes.find((type) => type.name === WEBHOOK_CREDENTIAL_TYPE);
	const oauth2 = credentialTypes.find((type) => type.name === OAUTH2_CREDENTIAL_TYPE);
	expect(webhook?.properties.map((property) => property.name)).toContain('webhookUrl');
	expect(oauth2?.extends).toEqual(['oAuth2Api']);
	expect(oauth2?.properties.map((property) => property.name)).toEqual(
		expect.arrayContaining(['portalUrl', 'accessTokenUrl']),
	);
});

describe('the webhook credential\'s Test button, through n8n\'s own credentials tester', () => {
	const testWebhook = async (webhookUrl: string) => {
		const answer = await postAsOwner<{ data: { status: string; message: string } }>(server.url, '/rest/credentials/test', cookie, {
			credentials: { id: '', name: 'Bitrix24 test button', type: WEBHOOK_CREDENTIAL_TYPE, data: { webhookUrl } },
		});
		return answer.data;
	};

	beforeEach(() => portal.reset());

	test('a working webhook with the im scope passes', async () => {
		expect(await testWebhook(portal.webhookUrl)).toEqual({ status: 'OK', message: expect.any(String) });
		expect(portal.calls.map((call) => call.method)).toEqual(['im.recent.list']);
	});

	test('a revoked secret is told apart', async () => {
		portal.revokeWebhook();
		const result = await testWebhook(portal.webhookUrl);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/INVALID_CREDENTIALS/);
	});

	test('a webhook without the im scope is told apart', async () => {
		portal.setWebhookScopes(['user']);
		const result = await testWebhook(portal.webhookUrl);
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(/lacks the "im" scope/);
	});

	test('a URL that is not a Bitrix24 webhook, or no portal at all, is told apart', async () => {
		// The right host, but a path under which no Bitrix24 REST API answers.
		const notBitrix = await testWebhook(`${portal.url}/wiki/rest/1/abc123/`);
		expect(notBitrix).toEqual({ status: 'Error', message: expect.stringMatching(/did not answer like a Bitrix24 inbound webhook/) });
		const unreachable = await testWebhook('http://127.0.0.1:9/rest/1/abc123/');
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).not.toMatch(/INVALID_CREDENTIALS|scope/);
		const badShape = await testWebhook('https://example.bitrix24.com/rest/im.message.add');
		expect(badShape).toEqual({ status: 'Error', message: expect.stringMatching(/expected form/) });
	});
});
