import { rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { SSHClientsManager } from 'n8n-core/dist/execution-engine/ssh-clients-manager';

// n8n-core keeps an SSH clients manager with a cleanup timer alive; jest never exits without
// this. The DI container must be n8n-core's own copy of @n8n/di (it pins its own version).
afterAll(async () => {
	const diPath = require.resolve('@n8n/di', { paths: [dirname(require.resolve('n8n-core'))] });
	const { Container } = (await import(diPath)) as { Container: { get<T>(type: new (...args: never[]) => T): T } };
	Container.get(SSHClientsManager).onShutdown();
	// The per-file n8n user folder made by env.ts; leave any folder the caller chose alone.
	const userFolder = process.env.N8N_USER_FOLDER ?? '';
	if (userFolder.startsWith(join(tmpdir(), 'bitrix24-n8n-core-'))) rmSync(userFolder, { recursive: true, force: true });
});
