/**
 * A real-n8n workflow that makes a file and posts it: Manual Trigger → rows (Edit Fields +
 * Split Out) → Convert to File (CSV) → Bitrix24 Send File. The "CSV report" flow of the README.
 */
import {
	arrayToItemsNodes,
	credentialReference,
	linearWorkflow,
	manualTriggerNode,
	NODE_TYPE,
	OAUTH2_CREDENTIAL_TYPE,
} from './bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture, WorkflowNode } from './bitrix24Fixtures';

export const SEND_FILE_NODE_NAME = 'Post Report to Bitrix24';

export interface SendFileWorkflowOptions {
	id: string;
	name: string;
	credential: CredentialFixture;
	dialogId: string;
	/** The rows of the CSV file. */
	rows: Array<Record<string, unknown>>;
	fileName: string;
	message: string;
	messageFormat?: 'bbcode' | 'markdown';
	options?: Record<string, unknown>;
}

export function sendFileWorkflow(options: SendFileWorkflowOptions): WorkflowFixture {
	const nodes: WorkflowNode[] = [
		manualTriggerNode(options.id),
		...arrayToItemsNodes(
			options.id,
			{ make: 'Report Rows', split: 'One Row Each' },
			'rows',
			JSON.stringify(options.rows),
		),
		{
			id: `${options.id}-csv`,
			name: 'Convert to CSV',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [660, 0],
			parameters: { operation: 'csv', binaryPropertyName: 'data', options: { fileName: options.fileName } },
		},
		{
			id: `${options.id}-send`,
			name: SEND_FILE_NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [880, 0],
			parameters: {
				authentication: options.credential.type === OAUTH2_CREDENTIAL_TYPE ? 'oAuth2' : 'webhook',
				resource: 'message',
				operation: 'sendFile',
				dialogId: { __rl: true, mode: 'id', value: options.dialogId },
				binaryPropertyName: 'data',
				messageFormat: options.messageFormat ?? 'bbcode',
				message: options.message,
				options: options.options ?? {},
			},
			credentials: credentialReference(options.credential),
		},
	];
	return linearWorkflow(options.id, options.name, nodes);
}
