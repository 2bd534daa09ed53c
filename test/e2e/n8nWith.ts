import { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import type { CredentialFixture, WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import { activateWorkflowArgs, assertCommandSucceeded } from '../../scripts/lib/n8nCli';
import { startN8nServer } from '../../scripts/lib/n8nServer';
import type { RunningN8n } from '../../scripts/lib/n8nServer';
import { readE2eContext } from './e2eContext';

/** A headless n8n from the install the global setup prepared, with these credentials and workflows imported. */
export async function n8nWith(credentials: CredentialFixture[], workflows: WorkflowFixture[]): Promise<HeadlessN8n> {
	const n8n = await HeadlessN8n.create(readE2eContext());
	await n8n.importCredentials(credentials);
	await n8n.importWorkflows(workflows);
	return n8n;
}

/**
 * `n8n start` with these imported workflows active. Import deactivates workflows; publishing
 * (2.x; `update:workflow --active` before) makes them active for the next start.
 */
export async function startWithActive(n8n: HeadlessN8n, workflowIds: string[]): Promise<RunningN8n> {
	for (const id of workflowIds) {
		assertCommandSucceeded(await n8n.command(activateWorkflowArgs(n8n.installation.version, id)));
	}
	return await startN8nServer({ installation: n8n.installation, env: n8n.env });
}
