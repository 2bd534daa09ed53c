/**
 * Workflows that go on after Send: further Bitrix24 nodes chained behind it (Update, React,
 * Get Many, Delete…), set up as a user would in the editor. Used by the demo and the e2e suite.
 */
import { NODE_TYPE, OAUTH2_CREDENTIAL_TYPE } from './bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from './bitrix24Fixtures';

export interface Bitrix24Step {
	/** The node's name in the workflow (expressions such as $('Name') refer to it). */
	name: string;
	resource: 'message' | 'notification' | 'chat';
	operation: string;
	/** The operation's own parameters. */
	parameters: Record<string, unknown>;
}

/** Chains Bitrix24 nodes behind the node `after` (the last node of a linear workflow). */
export function appendBitrix24Steps(
	workflow: WorkflowFixture,
	after: string,
	credential: CredentialFixture,
	steps: Bitrix24Step[],
): WorkflowFixture {
	const nodes = [...workflow.nodes];
	const connections = { ...workflow.connections };
	const anchor = nodes.find((node) => node.name === after);
	if (!anchor) throw new Error(`No node named "${after}" in workflow ${workflow.id}`);
	let previous = after;
	let x = anchor.position[0];
	steps.forEach((step, index) => {
		x += 220;
		nodes.push({
			id: `${workflow.id}-step${index + 1}`,
			name: step.name,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [x, 0],
			parameters: {
				authentication: credential.type === OAUTH2_CREDENTIAL_TYPE ? 'oAuth2' : 'webhook',
				resource: step.resource,
				operation: step.operation,
				...step.parameters,
			},
			credentials: { [credential.type]: { id: credential.id, name: credential.name } },
		});
		connections[previous] = { main: [[{ node: step.name, type: 'main', index: 0 }]] };
		previous = step.name;
	});
	return { ...workflow, nodes, connections };
}
