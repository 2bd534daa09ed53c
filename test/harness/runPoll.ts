import { LoadOptionsContext, PollContext } from 'n8n-core';
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
	WorkflowActivateMode,
} from 'n8n-workflow';

import { Bitrix24Trigger } from '../../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { TestCredentialStore } from './credentialStore';
import { createAdditionalData } from './runWorkflow';

const TRIGGER_TYPE = 'n8n-nodes-bitrix24.bitrix24Trigger';
const triggerType: INodeType = new Bitrix24Trigger();
const nodeTypes: INodeTypes = {
	getByName: () => triggerType,
	getByNameAndVersion: () => triggerType,
	getKnownTypes: () => ({}),
};

export interface TriggerOptions {
	parameters?: INodeParameters;
	credentials: Record<string, ICredentialDataDecryptedObject>;
	workflowId?: string;
	workflowName?: string;
	nodeName?: string;
}

export type PollResult = INodeExecutionData[][] | null;

/**
 * One active Bitrix24 Trigger as n8n runs it: a Workflow that keeps its static data between polls,
 * and n8n-core's real PollContext (parameter defaults, expressions, credentials, HTTP helpers).
 * Like n8n, one PollContext serves every poll of an activation; `activate()` starts a new one.
 */
export class ActiveTrigger {
	readonly workflow: Workflow;
	readonly node: INode;
	readonly store = new TestCredentialStore();
	private context: PollContext | undefined;

	constructor(options: TriggerOptions) {
		for (const [type, data] of Object.entries(options.credentials)) this.store.set(`cred-${type}`, type, data);
		const credentials: INode['credentials'] = {};
		for (const type of Object.keys(options.credentials))
			credentials[type] = { id: `cred-${type}`, name: `Test ${type}` };
		this.node = {
			id: `${options.workflowId ?? 'trigger-workflow'}-node`,
			name: options.nodeName ?? 'Bitrix24 Trigger',
			type: TRIGGER_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: { authentication: 'webhook', ...options.parameters },
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

	/** A new activation (n8n builds a new poll context for each). */
	activate(activation: WorkflowActivateMode = 'activate'): this {
		this.context = this.newContext('trigger', activation);
		return this;
	}

	/** One scheduled poll of the current activation. */
	async poll(): Promise<PollResult> {
		if (!this.context) this.activate();
		return await this.run(this.context as PollContext);
	}

	/** The editor's "Fetch Test Event": a manual poll in a context of its own. */
	async fetchTestEvent(): Promise<PollResult> {
		return await this.run(this.newContext('manual', 'manual'));
	}

	/** One of the node's load-options methods, called as the editor does. */
	async loadOptions(methodName: string, path = 'parameters.filters.dialogIds'): Promise<INodePropertyOptions[]> {
		const method = triggerType.methods?.loadOptions?.[methodName];
		if (!method) throw new Error(`The trigger has no load-options method "${methodName}"`);
		const { additionalData } = createAdditionalData(this.store, this.workflow, [this.node]);
		return await method.call(new LoadOptionsContext(this.workflow, this.node, additionalData, path));
	}

	get staticData(): IDataObject {
		return this.workflow.getStaticData('node', this.node);
	}

	/** The items of the last poll's single output, as JSON. */
	static items(result: PollResult): IDataObject[] {
		return (result?.[0] ?? []).map((item) => item.json);
	}

	private newContext(mode: 'trigger' | 'manual', activation: WorkflowActivateMode): PollContext {
		const { additionalData } = createAdditionalData(this.store, this.workflow, [this.node]);
		const fail = () => {
			throw new Error('the trigger must return its items, not emit them');
		};
		return new PollContext(this.workflow, this.node, additionalData, mode, activation, fail, fail);
	}

	private async run(context: PollContext): Promise<PollResult> {
		if (!triggerType.poll) throw new Error('the trigger has no poll()');
		return await triggerType.poll.call(context);
	}
}
