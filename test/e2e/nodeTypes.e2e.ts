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

/** A node property as served to the editor; `options` holds choices, fields or entries. */
interface ServedProperty {
	name: string;
	displayName: string;
	type?: string;
	required?: boolean;
	displayOptions?: { show?: Record<string, unknown[]> };
	options?: Array<ServedProperty & { value?: unknown; values?: ServedProperty[] }>;
	values?: ServedProperty[];
}
interface NodeTypeDescription {
	name: string;
	displayName: string;
	version: number | number[];
	credentials?: Array<{ name: string }>;
	properties: ServedProperty[];
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
/** n8n's major version: 1.x generates no human-review tools from send-and-wait nodes. */
let n8nMajor: number;

beforeAll(async () => {
	const context = readE2eContext();
	n8nMajor = Number(context.installation.version.split('.')[0]);
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
		expect.arrayContaining([
			'authentication',
			'resource',
			'operation',
			'dialogId',
			'message',
			'additionalFields',
			'options',
		]),
	);
	// Built-in nodes are there too: the list is n8n's full catalogue, not only ours.
	expect(nodeTypes.some((type) => type.name === 'n8n-nodes-base.manualTrigger')).toBe(true);
});

test('the editor is served the Bitrix24 Trigger as a listening trigger (not a polling one)', () => {
	const trigger = nodeTypes.find((type) => type.name === 'n8n-nodes-bitrix24.bitrix24Trigger') as
		| (NodeTypeDescription & { polling?: boolean; group?: string[] })
		| undefined;
	expect(trigger?.displayName).toBe('Bitrix24 Trigger');
	expect(trigger?.polling).toBeUndefined();
	expect(trigger?.group).toEqual(['trigger']);
	const names = trigger?.properties.map((property) => property.name);
	expect(names).toEqual(expect.arrayContaining(['authentication', 'checkEverySeconds', 'events', 'filters']));
	expect(names).not.toContain('pollTimes');
	// The canvas subtitle maps the chosen events to their display names.
	expect((trigger as { subtitle?: string }).subtitle).toContain('"messageAdd":"Message Added"');
	// Documentation links without a #anchor: n8n appends its query to them, after any anchor.
	const codex = (trigger as { codex?: { resources?: Record<string, Array<{ url: string }>> } }).codex;
	const urls = Object.values(codex?.resources ?? {}).flatMap((links) => links.map((link) => link.url));
	expect(urls.length).toBeGreaterThan(0);
	for (const url of urls) expect(url).not.toContain('#');
});

test('n8n generates the human-review tool for AI agents (bitrix24HitlTool) from Send and Wait for Response', () => {
	type ToolDescription = NodeTypeDescription & {
		webhooks?: Array<{ httpMethod: string; restartWebhook?: boolean }>;
		outputs?: Array<{ type: string }>;
		properties: Array<ServedProperty & { default?: unknown }>;
	};
	// The node itself offers the operation under n8n's own name.
	const operation = nodeTypes
		.find((type) => type.name === NODE_TYPE)!
		.properties.find((property) => property.name === 'operation');
	expect(operation?.options?.map((option) => option.value)).toContain('sendAndWait');
	const tool = nodeTypes.find((type) => type.name === `${NODE_TYPE}HitlTool`) as ToolDescription | undefined;
	if (n8nMajor < 2) {
		// n8n 1.x builds no HITL tools; the node's own operation is all there is.
		expect(tool).toBeUndefined();
		return;
	}
	expect(tool).toBeDefined();
	expect(tool!.outputs?.map((output) => output.type)).toEqual(['ai_tool']);
	expect(tool!.credentials?.map((credential) => credential.name).sort()).toEqual(
		[OAUTH2_CREDENTIAL_TYPE, WEBHOOK_CREDENTIAL_TYPE].sort(),
	);
	const names = tool!.properties.map((property) => property.name);
	expect(names).toEqual(
		expect.arrayContaining(['authentication', 'dialogId', 'message', 'approvalOptions', 'options']),
	);
	// The tool only ever sends and waits: its operation, where n8n keeps the field, is fixed.
	for (const operation of tool!.properties.filter((property) => property.name === 'operation')) {
		expect(operation).toMatchObject({ type: 'hidden', default: 'sendAndWait' });
	}
	expect(tool!.webhooks?.map((webhook) => [webhook.httpMethod, webhook.restartWebhook])).toEqual([
		['GET', true],
		['POST', true],
	]);
});

test("both credential types are served, the OAuth2 one extending n8n's oAuth2Api", () => {
	const webhook = credentialTypes.find((type) => type.name === WEBHOOK_CREDENTIAL_TYPE);
	const oauth2 = credentialTypes.find((type) => type.name === OAUTH2_CREDENTIAL_TYPE);
	expect(webhook?.properties.map((property) => property.name)).toContain('webhookUrl');
	expect(oauth2?.extends).toEqual(['oAuth2Api']);
	expect(oauth2?.properties.map((property) => property.name)).toEqual(
		expect.arrayContaining(['portalUrl', 'accessTokenUrl']),
	);
});

describe("the webhook credential's Test button, through n8n's own credentials tester", () => {
	// The credential is saved first, as the editor does before a Test: n8n 1.x tests only a saved
	// credential (403 for an unsaved one); 2.x tests either.
	const testWebhook = async (webhookUrl: string) => {
		const credential = { name: 'Bitrix24 test button', type: WEBHOOK_CREDENTIAL_TYPE, data: { webhookUrl } };
		const saved = await postAsOwner<{ data: { id: string } }>(server.url, '/rest/credentials', cookie, credential);
		const answer = await postAsOwner<{ data: { status: string; message: string } }>(
			server.url,
			'/rest/credentials/test',
			cookie,
			{ credentials: { ...credential, id: saved.data.id } },
		);
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
		expect(notBitrix).toEqual({
			status: 'Error',
			message: expect.stringMatching(/did not answer like a Bitrix24 inbound webhook/),
		});
		const unreachable = await testWebhook('http://127.0.0.1:9/rest/1/abc123/');
		expect(unreachable.status).toBe('Error');
		expect(unreachable.message).not.toMatch(/INVALID_CREDENTIALS|scope/);
		const badShape = await testWebhook('https://example.bitrix24.com/rest/im.message.add');
		expect(badShape).toEqual({ status: 'Error', message: expect.stringMatching(/expected form/) });
	});
});

describe('the editor fields the node relies on, as n8n serves them', () => {
	const bitrix24 = () => nodeTypes.find((type) => type.name === NODE_TYPE)!;
	/** Message → Send's fields (Notification → Send is an operation "send" too). */
	const sendProperties = () =>
		bitrix24().properties.filter(
			(property) =>
				(property.displayOptions?.show?.operation?.includes('send') ?? false) &&
				(property.displayOptions?.show?.resource?.includes('message') ?? false),
		);
	const additionalFields = () => sendProperties().find((property) => property.name === 'additionalFields')!;
	/** Every property below this one: collection fields, fixedCollection entries and their fields. */
	const descendants = (property: ServedProperty): ServedProperty[] =>
		(property.options ?? []).flatMap((option) => {
			const children = option.values ?? ('type' in option && option.type !== undefined ? [option] : []);
			return children.flatMap((child) => [child, ...descendants(child)]);
		});

	test('attachment, keyboard and menu are one top-level field each (not inside Additional Fields), whose first field switches Build / JSON', () => {
		expect((additionalFields().options ?? []).filter((option) => /^(attach|keyboard|menu)/i.test(option.name))).toEqual(
			[],
		);
		const entries = sendProperties().filter((property) => /^(attach|keyboard|menu)$/.test(property.name));
		expect(entries.map((entry) => [entry.name, entry.type])).toEqual([
			['attach', 'fixedCollection'],
			['keyboard', 'fixedCollection'],
			['menu', 'fixedCollection'],
		]);
		for (const entry of entries) {
			expect(entry.options).toHaveLength(1);
			const [mode, ...fields] = entry.options![0].values!;
			expect(mode.name).toBe('mode');
			expect(mode.options?.map((option) => option.value)).toEqual(['builder', 'json']);
			// The builder and the JSON editor sit beside the switch: shown as soon as it is set.
			expect(fields.find((field) => field.name === 'json')?.displayOptions?.show).toEqual({ mode: ['json'] });
			const builder = fields.filter((field) => field.name !== 'json');
			expect(builder.length).toBeGreaterThan(0);
			for (const field of builder) expect(field.displayOptions?.show).toEqual({ mode: ['builder'] });
		}
	});

	test('the builders mark the fields Bitrix24 needs as required', () => {
		const builderFields = sendProperties()
			.filter((property) => /^(attach|keyboard|menu)$/.test(property.name))
			.flatMap(descendants)
			.filter((field) => field.required === true);
		const required = new Set(builderFields.map((field) => `${field.displayName} (${field.name})`));
		expect(required).toEqual(
			new Set([
				'Text (messageText)',
				'URL (linkUrl)',
				'Image URL (imageUrl)',
				'File URL (fileUrl)',
				'Name (userName)',
				'Text (text)',
				'URL (url)',
				'Command (command)',
				'Value (actionValue)',
			]),
		);
	});

	test('Message Format sits right above Message, whose hint follows the format', () => {
		const names = sendProperties().map((property) => property.name);
		const format = names.indexOf('messageFormat');
		expect(format).toBeGreaterThan(-1);
		expect(names.slice(format + 1, format + 3)).toEqual(['message', 'message']);
		const messages = sendProperties().filter((property) => property.name === 'message') as Array<
			ServedProperty & { hint?: string }
		>;
		expect(messages.map((message) => message.displayOptions?.show?.messageFormat)).toEqual([['bbcode'], ['markdown']]);
		expect(messages[0].hint).toMatch(/\[b\]bold\[\/b\]/);
		expect(messages[1].hint).toMatch(/\*\*bold\*\*/);
	});

	/** Every property of the node: top level, collection fields and fixedCollection entries' fields. */
	const everyProperty = () => bitrix24().properties.flatMap((property) => [property, ...descendants(property)]);
	const operationsOf = (property: ServedProperty) => (property.displayOptions?.show?.operation ?? []) as string[];

	test('one picker per kind of input: every chat is the Dialog picker, every person the person picker', () => {
		const all = everyProperty() as Array<ServedProperty & { modes?: Array<{ name: string }> }>;
		// No free-text chat or person IDs are left.
		expect(all.filter((property) => ['chatId', 'userIds'].includes(property.name))).toEqual([]);
		const dialogs = all.filter((property) => property.name === 'dialogId');
		expect(dialogs.length).toBeGreaterThan(5);
		for (const dialog of dialogs) {
			expect(dialog.type).toBe('resourceLocator');
			expect(dialog.modes?.map((mode) => mode.name)).toEqual(['list', 'id', 'url']);
		}
		// Chat → Add Users takes the Dialog picker too.
		expect(dialogs.some((dialog) => operationsOf(dialog).includes('addUsers'))).toBe(true);
		// People: one picker, several times where several people are wanted (Create, Add Users).
		const users = all.filter((property) => property.name === 'users');
		expect(users.map((property) => [property.type, operationsOf(property)])).toEqual([
			['fixedCollection', ['create']],
			['fixedCollection', ['addUsers']],
		]);
		const people = all.filter((property) => ['userId', 'ownerId'].includes(property.name));
		expect(people.length).toBeGreaterThanOrEqual(3);
		for (const person of people) {
			expect(person.type).toBe('resourceLocator');
			expect(person.modes?.map((mode) => mode.name)).toEqual(['list', 'id']);
		}
	});

	test('Get Many leaves deleted messages out unless Include Deleted is on', () => {
		const options = bitrix24().properties.find(
			(property) => property.name === 'options' && operationsOf(property).includes('getMany'),
		) as ServedProperty & { options: Array<ServedProperty & { default?: unknown }> };
		expect(options.options.find((option) => option.name === 'includeDeleted')).toMatchObject({
			type: 'boolean',
			default: false,
		});
	});

	test('rich structures: one entry each with no empty box, Remove its own field on Update, command fields only for commands', () => {
		const all = everyProperty() as Array<ServedProperty & { typeOptions?: Record<string, unknown> }>;
		const structures = all.filter((property) => ['attach', 'keyboard', 'menu'].includes(property.name));
		expect(structures.length).toBeGreaterThan(0);
		for (const structure of structures) {
			expect(structure.type).toBe('fixedCollection');
			expect(structure.typeOptions).toMatchObject({ hideEmptyMessage: true });
			const mode = structure.options![0].values!.find((field) => field.name === 'mode');
			expect(mode?.options?.map((option) => option.value)).toEqual(['builder', 'json']);
		}
		const removes = all.filter((property) => property.name === 'remove');
		expect(removes.map((remove) => [remove.type, remove.options?.map((option) => option.value)])).toEqual([
			['multiOptions', ['attach', 'keyboard', 'menu']],
			['multiOptions', ['attach', 'keyboard']],
		]);
		const commandFields = all.filter((property) => ['commandParams', 'blockAfterClick'].includes(property.name));
		expect(commandFields.length).toBeGreaterThan(0);
		for (const field of commandFields) expect(field.displayOptions?.show?.clickAction).toEqual(['command']);
	});
});
