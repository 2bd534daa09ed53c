import * as fs from 'node:fs';
import * as path from 'node:path';

import type { PackedPackage } from '../../scripts/lib/communityPackage';
import type { N8nInstallation } from '../../scripts/lib/n8nInstall';
import { checkoutCacheDir } from '../../scripts/lib/paths';

/** What the global setup prepared once for every test file: the n8n install and the packed package. */
export interface E2eContext {
	installation: N8nInstallation;
	packed: PackedPackage;
}

export const e2eContextFile = path.join(checkoutCacheDir, 'e2e', 'context.json');

export function writeE2eContext(context: E2eContext): void {
	fs.mkdirSync(path.dirname(e2eContextFile), { recursive: true });
	fs.writeFileSync(e2eContextFile, JSON.stringify(context, null, '\t'));
}

export function readE2eContext(): E2eContext {
	return JSON.parse(fs.readFileSync(e2eContextFile, 'utf8')) as E2eContext;
}
