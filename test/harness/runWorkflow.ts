import { ExecutionLifecycleHooks, LoadOptionsContext, WorkflowExecute } from 'n8n-core';
import { createRunExecutionData, sleep, Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeListSearchResult,
	INodeParameters,
	INodeType,
	INodeTypes,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import { TestCredentialStore } from './credentialStore';
import { TestBinaryItems } from './testBinaryItemsNode';
import type { BinaryTestItem } from './testBinaryItemsNode';
import { TestItems } from './testItemsNode';

const NODE_TYPES: Record<string, INodeType> = {
	'n8n-nodes-bitrix24.bitrix24': new Bitrix24(),
	'test.items': new TestItems(),
	'test.binaryItems': new TestBinaryItems(),
};

const nodeTypes: INodeTypes = {
	getByName: (type) => NODE_TYPES[type],
	getByNameAndVersion: (type) => NODE_TYPES[type],
	getKnownTypes: () => ({}),
};

export const BITRIX24_NODE_NAME = 'Bitrix24';

export interface RunOptions {
	/** The Bitrix24 node's parameters (resource/operation default to message/send). */
	parameters: INodeParameters;
	/** Input items for the Bitrix24 node (one empty item by default). */
	items?: IDataObject[];
	/** Input items with binary files instead (see registerTestFile). */
	binaryItems?: BinaryTestItem[];
	/** Credentials by type, stored under the ID `cred-<type>`. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Reuse a store across runs to see what n8n would have persisted (e.g. refreshed tokens). */
	store?: TestCredentialStore;
	onError?: INode['onError'];
	/** Stops the execution this long after it started, as the editor's Stop button does. */
	cancelAfterMs?: number;
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

export function buildWorkflow(options: RunOptions) {
	const store = options.store ?? new TestCredentialStore();
	for (const [type, data] of Object.entries(options.credentials ?? {})) {
		store.set(`cred-${type}`, type, data);
	}
	const nodeCredentials: INode['credentials'] = {};
	for (const type of ['bitrix24WebhookApi', 'bitrix24OAuth2Api']) {
		if (store.get(`cred-${type}`)) nodeCredentials[type] = { id: `cred-${type}`, name: `Test ${type}` };
	}
	const nodes: INode[] = [
		{
			id: 'items',
			name: 'Test Items',
			type: options.binaryItems ? 'test.binaryItems' : 'test.items',
			typeVersion: 1,
			position: [0, 0],
			parameters: { items: JSON.stringify(options.binaryItems ?? options.items ?? [{}]) },
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
		connections: { 'Test Items': { main: [[{ node: BITRIX24_NODE_NAME, type: 'main', index: 0 }]] } },
		active: false,
		nodeTypes,
		settings: { executionOrder: 'v1' },
	});
	return { workflow, nodes, store };
}

// Each run is its own execution, as in n8n: state a node keeps per execution must not leak.
let executionCount = 0;

export function createAdditionalData(store: TestCredentialStore, workflow: Workflow, nodes: INode[]) {
	const executionId = `test-execution-${++executionCount}`;
	const workflowData = {
		id: workflow.id,
		name: workflow.name,
		nodes,
		connections: workflow.connectionsBySourceNode,
		active: false,
		isArchived: false,
		createdAt: new Date(),
		updatedAt: new Date(),
	} as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const notUsed = async () => {
		throw new Error('not used by these tests');
	};
	const additionalData = {
		credentialsHelper: store,
		hooks,
		executionId,
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
		executeWorkflow: notUsed,
		startRunnerTask: notUsed,
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		logAiEvent: () => undefined,
	} as unknown as IWorkflowExecuteAdditionalData;
	return { additionalData, hooks };
}

/**
 * Runs a two-node workflow (Test Items → Bitrix24) through n8n-core's real WorkflowExecute: the
 * same parameter resolution, continue-on-fail/error-output routing and HTTP helpers as n8n.
 */
export async function runBitrix24(options: RunOptions): Promise<RunResult> {
	const { workflow, nodes, store } = buildWorkflow(options);
	const { additionalData, hooks } = createAdditionalData(store, workflow, nodes);
	const finished = new Promise<IRun>((resolve) => hooks.addHandler('workflowExecuteAfter', resolve));

	const runExecutionData = createRunExecutionData({
		executionData: { nodeExecutionStack: [{ node: nodes[0], data: { main: [[{ json: {} }]] }, source: null }] },
	});
	try {
		const execution = new WorkflowExecute(additionalData, 'manual', runExecutionData).processRunExecutionData(workflow);
		if (options.cancelAfterMs !== undefined) {
			// Cancelling an execution that already ended does nothing.
			void sleep(options.cancelAfterMs).then(() => execution.cancel());
		}
		await execution;
	} catch (error) {
		// n8n refuses to start a workflow whose parameters have issues (e.g. a resource locator
		// value that fails its validation regex), as the editor and `n8n execute` would.
		const refusal = { name: (error as Error).name, message: (error as Error).message };
		return { run: { status: 'error' } as IRun, status: 'error', output: [], errorOutput: [], error: refusal, store };
	}
	const run = await finished;

	const main = run.data.resultData.runData[BITRIX24_NODE_NAME]?.[0]?.data?.main ?? [];
	return {
		run,
		status: run.status,
		output: main[0] ?? [],
		errorOutput: main[1] ?? [],
		error: run.data.resultData.error as RunResult['error'],
		store,
	};
}

/** Calls one of the node's list searches as the editor does, through n8n-core's LoadOptionsContext. */
export async function searchInEditor(
	methodName: string,
	options: RunOptions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const { workflow, nodes, store } = buildWorkflow(options);
	const { additionalData } = createAdditionalData(store, workflow, nodes);
	const node = nodes[1];
	const method = NODE_TYPES[node.type].methods?.listSearch?.[methodName];
	if (!method) throw new Error(`The node has no list search "${methodName}"`);
	const context = new LoadOptionsContext(workflow, node, additionalData, 'parameters.dialogId');
	return await method.call(context, filter, paginationToken);
}
