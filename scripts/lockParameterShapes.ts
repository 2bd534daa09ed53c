/**
 * Writes the parameter-shape lock of every node version that has none, from the built dist/
 * (docs/versioning.md, docs/releasing.md):
 *
 *   npm run shapes:lock
 *
 * Run once when a node version is first released; the lock is then kept as it is, and
 * test/unit/tools/parameterShapes.test.ts fails on a change that saved workflows would notice.
 */
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { lockFile, packageNodeDescriptions, readLock, writeLock } from './lib/parameterShapeLocks';
import { nodeVersions } from './lib/parameterShapes';
import { repoRoot } from './lib/paths';

const load = createRequire(__filename);

for (const description of packageNodeDescriptions((packagePath) => load(path.join(repoRoot, packagePath)))) {
	for (const version of nodeVersions(description)) {
		const relative = path.relative(repoRoot, lockFile(description.name, version));
		if (readLock(description.name, version)) {
			console.log(`kept     ${relative} (a released version's lock is never rewritten)`);
			continue;
		}
		writeLock(description, version);
		console.log(`written  ${relative}`);
	}
}
