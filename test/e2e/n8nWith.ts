import { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import type { CredentialFixture, WorkflowFixture } from '../../scripts/lib/bitrix24Fixtures';
import { readE2eContext } from './e2eContext';

/** A headless n8n from the install the global setup prepared, with these credentials and workflows imported. */
export async function n8nWith(credentials: CredentialFixture[], workflows: WorkflowFixture[]): Promise<HeadlessN8n> {
	const n8n = await HeadlessN8n.create(readE2eContext());
	await n8n.importCredentials(credentials);
	await n8n.importWorkflows(workflows);
	return n8n;
}
