/**
 * package.json's `repository` is the one place the GitHub owner/name is set; `bugs` and
 * `homepage` follow it.
 *
 *   npm run package:metadata              checks, exits 1 when they disagree or are missing
 *   npm run package:metadata -- --write   rewrites repository, bugs and homepage from `repository`
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot } from './lib/paths';
import type { PackageManifest } from './lib/releaseChecks';
import { githubRepository, metadataFor, metadataProblems } from './lib/releaseChecks';

function main(): number {
	const file = path.join(repoRoot, 'package.json');
	const text = fs.readFileSync(file, 'utf8');
	const manifest = JSON.parse(text) as PackageManifest & Record<string, unknown>;
	if (process.argv.includes('--write')) {
		const repository = githubRepository(manifest);
		if (!repository) {
			console.error('Set `repository` in package.json to the GitHub repository first, e.g. "github:owner/name"');
			return 1;
		}
		Object.assign(manifest, metadataFor(repository));
		fs.writeFileSync(file, JSON.stringify(manifest, null, '\t') + '\n');
		console.log(
			`package.json: repository, bugs and homepage point to github.com/${repository.owner}/${repository.name}`,
		);
	}
	const problems = metadataProblems(manifest);
	for (const problem of problems) console.error(`  - ${problem}`);
	if (problems.length === 0) console.log('package.json: repository, bugs, homepage and author are consistent');
	return problems.length === 0 ? 0 : 1;
}

process.exit(main());
