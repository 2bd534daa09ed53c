import * as fs from 'node:fs';
import * as path from 'node:path';

import { packPackage } from '../../scripts/lib/communityPackage';
import { ensureN8nInstalled } from '../../scripts/lib/n8nInstall';
import { selectedN8nVersion } from '../../scripts/lib/n8nVersion';
import { checkoutCacheDir } from '../../scripts/lib/paths';
import { writeE2eContext } from './e2eContext';

/**
 * Runs once before the suite: installs the pinned n8n (cached in .cache/n8n/<version>) and packs
 * the built package with `npm pack`, the same tarball `npm publish` would upload. Building is
 * the npm script's job (`npm run build` runs first), so a stale dist/ is caught there.
 */
export default async function globalSetup(): Promise<void> {
	const version = selectedN8nVersion();
	const started = Date.now();
	const installation = await ensureN8nInstalled(version);
	const packDir = path.join(checkoutCacheDir, 'e2e', 'pack');
	fs.rmSync(packDir, { recursive: true, force: true });
	const packed = await packPackage(packDir);
	writeE2eContext({ installation, packed });
	console.log(
		`\ne2e: n8n ${version} ready, ${packed.name}@${packed.version} packed (${packed.files.length} files) in ${Date.now() - started} ms`,
	);
}
