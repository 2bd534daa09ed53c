import { dirname } from 'node:path';
import { LoadOptionsContext, TriggerContext, TriggersAndPollers } from 'n8n-core';
import { Workflow } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	IDataObject,
	INode,
	INodeExecutionData,
	INodeParameters,
	INodePropertyOptions,
	INodeType,
	INodeTypes,
	IRun,
	ITriggerFunctions,
	ITriggerResponse,
	WorkflowActivateMode,
	WorkflowExecuteMode,
} from 'n8n-workflow';

import { Bitrix24Trigger } from '../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { forgetAllQueueOwners } from '../../nodes/shared/listening/queueOwners';
import type { FakePortal } from '../fakePortal';
import { webhookCredentials } from './fixtures';
import { TestCredentialStore } from './credentialStore';
import { createAdditionalData } from './runWorkflow';

const TRIGGER_TYPE = 'n8n-nodes-bitrix24.bitrix24Trigger';
const triggerType: INodeType = new Bitrix24Trigger();
const nodeTypes: INodeTypes = {
	getByName: () => triggerType,
	getByNameAndVersion: () => triggerType,
	getKnownTypes: () => ({}),
};

/** n8n-core's own DI container (it pins its own copy of @n8n/di). */
function n8nCoreContainer(): { get<T>(type: new (...args: never[]) => T): T } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	return require(require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] })).Container;
}

export interface TriggerOptions {
	parameters?: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	workflowId?: string;
	workflowName?: string;
	nodeName?: string;
	/** A saved workflow's node as n8n stored it (older versions carried other parameters). */
	typeVersion?: number;
}

/** One execution the trigger started with emit(). */
export interface Execution {
	item: IDataObject;
	startedAt: number;
	finished: boolean;
	/** Ends the execution: n8n resolves the trigger's done promise. */
	finish(status?: IRun['status']): void;
}

/**
 * How the executions the trigger starts end: 'at once' (after a tick), after some milliseconds, or
 * 'by test' (the test calls finish(), or never: a crash before the execution finished).
 */
export type ExecutionEnd = 'at once' | 'by test' | number;

/**
 * One Bitrix24 Trigger as n8n runs a trigger() node: n8n-core's TriggersAndPollers calls trigger()
 * with a real TriggerContext (parameter defaults, expressions, credentials, HTTP helpers), emit()
 * starts an "execution" recorded here, and the done promise resolves when the test says the
 * execution has finished. close() is what n8n calls on deactivation.
 */
export class ListeningTrigger {
	readonly workflow: Workflow;
	readonly node: INode;
	readonly store = new TestCredentialStore();
	readonly executions: Execution[] = [];
	readonly errors: Error[] = [];
	executionEnd: ExecutionEnd = 'at once';
	private response: ITriggerResponse | undefined;
	private killed = false;

	constructor(options: TriggerOptions) {
		for (const [type, data] of Object.entries(options.credentials)) this.store.set(`cred-${type}`, type, data);
		const credentials: INode['credentials'] = {};
		for (const type of Object.keys(options.credentials))
			credentials[type] = { id: `cred-${type}`, name: `Test ${type}` };
		this.node = {
			id: `${options.workflowId ?? 'trigger-workflow'}-node`,
			name: options.nodeName ?? 'Bitrix24 Trigger',
			type: TRIGGER_TYPE,
			typeVersion: options.typeVersion ?? 1,
			position: [0, 0],
			parameters: { authentication: 'webhook', checkEverySeconds: 2, ...options.parameters },
			credentials,
		};
		this.workflow = new Workflow({
			id: options.workflowId ?? 'trigger-workflow',
			name: options.workflowName ?? 'Bitrix24 trigger test',
			nodes: [this.node],
			connections: {},
			active: true,
			nodeTypes,
			staticData: {},
			settings: { executionOrder: 'v1' },
		});
	}

	/** Activates the workflow as n8n does (activation: a person, a restart 'init', a save 'update'). */
	async activate(activation: WorkflowActivateMode = 'activate'): Promise<this> {
		this.response = await this.runTrigger('trigger', activation);
		return this;
	}

	/** Deactivation: n8n calls the close function. */
	async close(): Promise<void> {
		await this.response?.closeFunction?.();
		this.response = undefined;
	}

	/**
	 * n8n killed (SIGKILL): from now on no request of this activation reaches the portal, its
	 * running executions never report back, and nothing is confirmed on the way out.
	 */
	async kill(): Promise<void> {
		this.killed = true;
		for (const type of Object.keys(this.node.credentials ?? {})) {
			this.store.set(`cred-${type}`, type, { webhookUrl: 'http://127.0.0.1:9/rest/1/killedProcess0/' });
		}
		const close = this.response?.closeFunction;
		this.response = undefined;
		const closed = close?.();
		// Lets the dead loop wind down at once; what it tries to confirm can no longer arrive.
		for (const execution of this.executions) execution.finish('crashed');
		await closed;
	}

	get items(): IDataObject[] {
		return this.executions.map((execution) => execution.item);
	}

	texts(): string[] {
		return this.items.map((item) => String(item.text));
	}

	/** Waits until `count` executions were started (or fails after `timeoutMs`). */
	async waitForExecutions(count: number, timeoutMs = 20_000): Promise<void> {
		const deadline = Date.now() + timeoutMs;
		while (this.executions.length < count) {
			if (Date.now() > deadline) {
				throw new Error(`Timed out: ${this.executions.length} of ${count} executions started`);
			}
			await new Promise((resolve) => setTimeout(resolve, 20));
		}
	}

	/** The editor's "Listen for test event": resolves with the first emitted data. */
	async listenForTestEvent(): Promise<{ data: Promise<INodeExecutionData[][]>; close: () => Promise<void> }> {
		const response = await this.runTrigger('manual', 'manual');
		await response?.manualTriggerFunction?.();
		return {
			data: response?.manualTriggerResponse as Promise<INodeExecutionData[][]>,
			close: async () => await response?.closeFunction?.(),
		};
	}

	/** One of the node's load-options methods, called as the editor does. */
	async loadOptions(methodName: string, path = 'parameters.filters.dialogIds'): Promise<INodePropertyOptions[]> {
		const method = triggerType.methods?.loadOptions?.[methodName];
		if (!method) throw new Error(`The trigger has no load-options method "${methodName}"`);
		const { additionalData } = createAdditionalData(this.store, this.workflow, [this.node]);
		return await method.call(new LoadOptionsContext(this.workflow, this.node, additionalData, path));
	}

	private emit(data: INodeExecutionData[][], done?: Parameters<ITriggerFunctions['emit']>[2]): void {
		if (this.killed) return;
		for (const { json } of data[0] ?? []) {
			const execution: Execution = {
				item: json,
				startedAt: Date.now(),
				finished: false,
				finish: (status = 'success') => {
					if (execution.finished) return;
					execution.finished = true;
					done?.resolve({ status } as IRun);
				},
			};
			this.executions.push(execution);
			const end = this.executionEnd;
			if (end === 'at once') setImmediate(() => execution.finish());
			else if (typeof end === 'number') setTimeout(() => execution.finish(), end);
		}
	}

	private async runTrigger(
		mode: WorkflowExecuteMode,
		activation: WorkflowActivateMode,
	): Promise<ITriggerResponse | undefined> {
		const { additionalData } = createAdditionalData(this.store, this.workflow, [this.node]);
		const triggers = n8nCoreContainer().get(TriggersAndPollers);
		return await triggers.runTriggerFunction(
			this.workflow,
			this.node,
			(workflow, node, data, contextMode, contextActivation) =>
				new TriggerContext(
					workflow,
					node,
					data,
					contextMode,
					contextActivation,
					(emitted, _response, done) => this.emit(emitted, done),
					(error) => this.errors.push(error),
					(error) => this.errors.push(error as unknown as Error),
				),
			additionalData,
			mode,
			activation,
		);
	}
}

/**
 * For a test file: `trigger(options, portal)` builds a ListeningTrigger on the portal's webhook;
 * after each test every trigger built is deactivated and the process forgets who read which queue.
 */
export function useListeningTriggers(
	defaultPortal: () => FakePortal,
): (options?: Partial<TriggerOptions>, portal?: FakePortal) => ListeningTrigger {
	const running: ListeningTrigger[] = [];
	afterEach(async () => {
		for (const trigger of running.splice(0)) await trigger.close();
		forgetAllQueueOwners();
	});
	return (options = {}, portal = defaultPortal()) => {
		const created = new ListeningTrigger({ credentials: webhookCredentials(portal), ...options });
		running.push(created);
		return created;
	};
}

/** Both runs together delivered each expected text exactly once. */
export function expectEachOnce(runs: ListeningTrigger[], texts: string[]): void {
	const all = runs.flatMap((run) => run.texts());
	expect(all).toHaveLength(texts.length);
	expect(new Set(all)).toEqual(new Set(texts));
}
