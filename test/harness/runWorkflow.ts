/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals, no-console -- test/tool code runs in plain Node, not inside n8n */
import { ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import { TestCredentialStore } from './credentialStore';
import { TestItems } from './testItemsNode';

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-bitrix24.bitrix24': new Bitrix24(),
	'test.items': new TestItems(),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type],
	getByNameAndVersion: (type) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
};

export const BITRIX24_NODE_NAME = 'Bitrix24';

export interface RunOptions {
	/** The Bitrix24 node's parameters (authentication defaults to webhook). */
	parameters: INodeParameters;
	/** Input items for the Bitrix24 node (one empty item by default). */
	items?: IDataObject[];
	/** Credentials by type; the same store can be reused across runs to test persistence. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	store?: TestCredentialStore;
	onError?: INode['onError'];
}

export interface RunResult {
	run: IRun;
	status: IRun['status'];
	/** The Bitrix24 node's main output (output 0). */
	output: INodeExecutionData[];
	/** The Bitrix24 node's error output (output 1), when onError = continueErrorOutput. */
	errorOutput: INodeExecutionData[];
	/** The error that failed the run, if any. */
	error?: { message: string; description?: string | null; name?: string; [key: string]: unknown };
	store: TestCredentialStore;
}

/**
 * Runs a two-node workflow (Test Items → Bitrix24) through n8n-core's real WorkflowExecute: the
 * same parameter resolution, continue-on-fail/error-output routing and HTTP helpers as n8n.
 */
export async function runBitrix24(options: RunOptions): Promise<RunResult> {
	const store = options.store ?? new TestCredentialStore();
	const nodeCredentials: INode['credentials'] = {};
	for (const [type, data] of Object.entries(options.credentials ?? {})) {
		store.set(`cred-${type}`, type, data);
	}
	for (const type of ['bitrix24WebhookApi', 'bitrix24OAuth2Api']) {
		if (store.get(`cred-${type}`)) nodeCredentials[type] = { id: `cred-${type}`, name: `Test ${type}` };
	}

	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Test Items',
			type: 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.items ?? [{}]) },
		},
		{
			id: 'bitrix24',
			name: BITRIX24_NODE_NAME,
			type: 'n8n-nodes-bitrix24.bitrix24',
			typeVersion: 1,
			position: [200, 0],
			parameters: { resource: 'message', operation: 'send', ...options.parameters },
			credentials: nodeCredentials,
			...(options.onError ? { onError: options.onError } : {}),
		},
	];
	const workflow = new Workflow({
		id: 'test-workflow',
		name: 'Bitrix24 test',
		nodes,
		connections: {
			'Test Items': { main: [[{ node: BITRIX24_NODE_NAME, type: 'main', index: 0 }]] },
		},
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});

	const hooks = new ExecutionLifecycleHooks('manual', 'test-execution', {
		id: 'test-workflow',
		name: 'Bitrix24 test',
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		activeVersionId: null,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as never);
	let resolveFinished: (run: IRun) => void = () => undefined;
	const finished = new Promise<IRun>((resolve) => (resolveFinished = resolve));
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => resolveFinished(fullRunData));

	const additionalData = {
		credentialsHelper: store,
		hooks,
		executionId: 'test-execution',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://127.0.0.1:1/rest',
		instanceBaseUrl: 'http://127.0.0.1:1/',
		webhookBaseUrl: 'http://127.0.0.1:1/webhook',
		webhookWaitingBaseUrl: 'http://127.0.0.1:1/webhook-waiting',
		webhookTestBaseUrl: 'http://127.0.0.1:1/webhook-test',
		formBaseUrl: 'http://127.0.0.1:1/form',
		formWaitingBaseUrl: 'http://127.0.0.1:1/form-waiting',
		formTestBaseUrl: 'http://127.0.0.1:1/form-test',
		mcpBaseUrl: 'http://127.0.0.1:1/mcp',
		mcpTestBaseUrl: 'http://127.0.0.1:1/mcp-test',
		variables: {},
		userId: 'test-user',
		executeWorkflow: async () => {
			throw new Error('not used');
		},
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
		startRunnerTask: async () => {
			throw new Error('not used');
		},
	} as unknown as IWorkflowExecuteAdditionalData;

	const runExecutionData = createRunExecutionData({
		executionData: {
			nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }],
		},
	});
	const execute = new WorkflowExecute(additionalData, 'manual', runExecutionData);
	await execute.processRunExecutionData(workflow);
	const run = await finished;

	const nodeRun = run.data.resultData.runData[BITRIX24_NODE_NAME]?.[0];
	const main = nodeRun?.data?.main ?? [];
	return {
		run,
		status: run.status,
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error: run.data.resultData.error as RunResult['error'],
		store,
	};
}
