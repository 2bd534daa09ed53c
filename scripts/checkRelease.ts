/**
 * Refuses a release whose tag and package.json disagree (run by .github/workflows/publish.yml
 * before the tests and again before `npm publish`):
 *
 *   npm run release:check -- v0.2.0        (or with GITHUB_REF_NAME set, as in the workflow)
 *
 * Exits 1 and lists every problem: the tag is not v<package.json version>, `repository` is
 * missing or not on GitHub, `bugs`/`homepage` do not follow `repository`, `author` is missing,
 * CHANGELOG.md has no section for the version, or a node version in the built dist/ has no
 * parameter-shape lock or breaks its lock (docs/versioning.md).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';

import { lockProblems, packageNodeDescriptions } from './lib/parameterShapeLocks';
import { repoRoot } from './lib/paths';
import type { PackageManifest } from './lib/releaseChecks';
import { releaseProblems } from './lib/releaseChecks';

const load = createRequire(__filename);

function main(): number {
	const tag = process.argv[2] ?? process.env.GITHUB_REF_NAME;
	if (!tag) {
		console.error('Usage: npm run release:check -- v<version>   (or set GITHUB_REF_NAME)');
		return 2;
	}
	const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageManifest;
	const changelogPath = path.join(repoRoot, 'CHANGELOG.md');
	const changelog = fs.existsSync(changelogPath) ? fs.readFileSync(changelogPath, 'utf8') : '';
	const descriptions = packageNodeDescriptions((packagePath) => load(path.join(repoRoot, packagePath)));
	const problems = [...releaseProblems(tag, manifest, changelog), ...lockProblems(descriptions, true)];
	if (problems.length > 0) {
		console.error(`Not publishing ${manifest.name}@${manifest.version} from tag ${tag}:`);
		for (const problem of problems) console.error(`  - ${problem}`);
		return 1;
	}
	console.log(`${manifest.name}@${manifest.version} may be published from tag ${tag}`);
	return 0;
}

process.exit(main());
