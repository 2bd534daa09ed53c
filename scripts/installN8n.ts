/**
 * Installs the pinned n8n into .cache/n8n/<version> (or reports that it is already there), e.g.
 * to warm a CI cache: `node node_modules/.cache/bitrix24-tools/scripts/installN8n.js`.
 * BITRIX24_N8N_VERSION selects another exact version (e.g. the last 1.x, run with Node 20).
 */
import { ensureN8nInstalled } from './lib/n8nInstall';
import { selectedN8nVersion } from './lib/n8nVersion';

async function main(): Promise<void> {
	const version = selectedN8nVersion();
	const installation = await ensureN8nInstalled(version, (line) => console.log(line));
	console.log(`n8n ${installation.version}: ${installation.binary}`);
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
