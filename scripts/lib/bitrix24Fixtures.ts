/* eslint-disable @n8n/community-nodes/no-hardcoded-secrets -- false positive: credential type names such as bitrix24OAuth2Api are not secrets */
/**
 * Credentials and workflows in the JSON shape `n8n import:credentials` / `n8n import:workflow`
 * read. Shared by `npm start`, `npm run demo` and the end-to-end suite, so all three exercise
 * the same node parameters a user would set in the editor.
 */

export const NODE_TYPE = 'n8n-nodes-bitrix24.bitrix24';
export const WEBHOOK_CREDENTIAL_TYPE = 'bitrix24WebhookApi';
export const OAUTH2_CREDENTIAL_TYPE = 'bitrix24OAuth2Api';

export interface CredentialFixture {
	id: string;
	name: string;
	type: string;
	/** Plain data: import:credentials encrypts it with the instance's key. */
	data: Record<string, unknown>;
}

export function webhookCredential(id: string, name: string, webhookUrl: string): CredentialFixture {
	return { id, name, type: WEBHOOK_CREDENTIAL_TYPE, data: { webhookUrl } };
}

export interface OAuth2TokenData {
	access_token: string;
	refresh_token: string;
	expires_in?: number;
	[key: string]: unknown;
}

export function oauth2Credential(
	id: string,
	name: string,
	settings: {
		portalUrl: string;
		accessTokenUrl: string;
		clientId: string;
		clientSecret: string;
		tokenData: OAuth2TokenData;
	},
): CredentialFixture {
	return {
		id,
		name,
		type: OAUTH2_CREDENTIAL_TYPE,
		data: {
			portalUrl: settings.portalUrl,
			accessTokenUrl: settings.accessTokenUrl,
			clientId: settings.clientId,
			clientSecret: settings.clientSecret,
			grantType: 'authorizationCode',
			authUrl: `${settings.portalUrl}/oauth/authorize/`,
			authentication: 'body',
			scope: '',
			authQueryParameters: '',
			// What n8n stores after a completed consent: the token server's answer as it came.
			oauthTokenData: settings.tokenData,
		},
	};
}

export type OnError = 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';

/** What every workflow fixture is given: its ID and name in n8n, and the credential it uses. */
export interface WorkflowFixtureOptions {
	id: string;
	name: string;
	credential: CredentialFixture;
}

export interface SendWorkflowOptions extends WorkflowFixtureOptions {
	/** A dialog id, or an expression such as '={{ $json.dialogId }}'. */
	dialogId: string;
	/** Message text, or an expression. */
	message: string;
	/** When set, the trigger is followed by nodes that fan out into these items (json objects). */
	items?: Array<Record<string, unknown>>;
	/** Generates `count` items {index, dialogId: 'chat1'} without listing them in the workflow. */
	generatedItemCount?: number;
	onError?: OnError;
	additionalFields?: Record<string, unknown>;
	/** The Attachment, Keyboard and Menu fields (`attach`, `keyboard`, `menu`). */
	richFields?: Record<string, unknown>;
	options?: Record<string, unknown>;
}

export const SEND_NODE_NAME = 'Send Bitrix24 Message';

export interface WorkflowNode {
	id: string;
	name: string;
	type: string;
	typeVersion: number;
	position: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	onError?: OnError;
}

export interface WorkflowFixture {
	id: string;
	name: string;
	active: false;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: 'main'; index: number }>> }>;
	settings: Record<string, unknown>;
	pinData: Record<string, unknown>;
}

/** What a node stores about its credential: the stored credential's ID and name, by type. */
export function credentialReference(credential: CredentialFixture): NonNullable<WorkflowNode['credentials']> {
	return { [credential.type]: { id: credential.id, name: credential.name } };
}

/** A workflow whose nodes run one after the other, in the order given. */
export function linearWorkflow(id: string, name: string, nodes: WorkflowNode[]): WorkflowFixture {
	const connections: WorkflowFixture['connections'] = {};
	for (let index = 0; index + 1 < nodes.length; index++) {
		connections[nodes[index].name] = { main: [[{ node: nodes[index + 1].name, type: 'main', index: 0 }]] };
	}
	return { id, name, active: false, nodes, connections, settings: { executionOrder: 'v1' }, pinData: {} };
}

/** The Manual Trigger that `n8n execute` starts a workflow from. */
export function manualTriggerNode(workflowId: string): WorkflowNode {
	return {
		id: `${workflowId}-trigger`,
		name: 'When clicking Execute',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
}

/**
 * Items from a JSON array, with built-in nodes only (no Code node): Edit Fields makes one array
 * in `field`, Split Out fans it out into one item per element.
 */
export function arrayToItemsNodes(
	workflowId: string,
	names: { make: string; split: string },
	field: string,
	arrayExpression: string,
): WorkflowNode[] {
	return [
		{
			id: `${workflowId}-${field}`,
			name: names.make,
			type: 'n8n-nodes-base.set',
			typeVersion: 3.4,
			position: [220, 0],
			parameters: {
				mode: 'manual',
				assignments: { assignments: [{ id: field, name: field, type: 'array', value: `={{ ${arrayExpression} }}` }] },
				options: {},
			},
		},
		{
			id: `${workflowId}-split`,
			name: names.split,
			type: 'n8n-nodes-base.splitOut',
			typeVersion: 1,
			position: [440, 0],
			parameters: { fieldToSplitOut: field, include: 'noOtherFields', options: {} },
		},
	];
}

/** Manual Trigger → (items) → Bitrix24 "Send Message", the node set up the way a user would. */
export function sendMessageWorkflow(options: SendWorkflowOptions): WorkflowFixture {
	const nodes: WorkflowNode[] = [manualTriggerNode(options.id)];
	const itemsJson = options.items
		? JSON.stringify(options.items)
		: options.generatedItemCount !== undefined
			? `Array.from({ length: ${options.generatedItemCount} }, (_, i) => ({ index: i + 1, dialogId: 'chat1' }))`
			: undefined;
	if (itemsJson !== undefined) {
		nodes.push(...arrayToItemsNodes(options.id, { make: 'Make Items', split: 'One Item Each' }, 'items', itemsJson));
	}
	const isOAuth2 = options.credential.type === OAUTH2_CREDENTIAL_TYPE;
	const send: WorkflowNode = {
		id: `${options.id}-send`,
		name: SEND_NODE_NAME,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220 * nodes.length, 0],
		parameters: {
			authentication: isOAuth2 ? 'oAuth2' : 'webhook',
			resource: 'message',
			operation: 'send',
			dialogId: { __rl: true, mode: 'id', value: options.dialogId },
			message: options.message,
			...options.richFields,
			additionalFields: options.additionalFields ?? {},
			options: options.options ?? {},
		},
		credentials: credentialReference(options.credential),
	};
	if (options.onError) send.onError = options.onError;
	nodes.push(send);
	return linearWorkflow(options.id, options.name, nodes);
}
