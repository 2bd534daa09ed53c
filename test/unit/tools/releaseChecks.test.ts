import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { PackageManifest } from '../../../scripts/lib/releaseChecks';
import { githubRepository, metadataFor, metadataProblems, releaseProblems } from '../../../scripts/lib/releaseChecks';

const root = resolve(__dirname, '../../..');
const readRepoFile = (path: string): string => readFileSync(join(root, path), 'utf8');

const REPOSITORY = { owner: 'acme', name: 'n8n-nodes-bitrix24' };
const consistent: PackageManifest = {
	name: 'n8n-nodes-bitrix24',
	version: '0.2.0',
	author: { name: 'Acme' },
	...metadataFor(REPOSITORY),
};
function withoutRepository(manifest: PackageManifest): PackageManifest {
	const copy = { ...manifest };
	delete copy.repository;
	return copy;
}
const CHANGELOG = '# Changelog\n\n## [0.2.0] - 2026-12-06\n\n### Added\n\n## [0.1.0] - 2026-11-24\n';

describe('githubRepository', () => {
	it.each([
		'git+https://github.com/acme/n8n-nodes-bitrix24.git',
		'https://github.com/acme/n8n-nodes-bitrix24',
		'https://github.com/acme/n8n-nodes-bitrix24.git',
		'git://github.com/acme/n8n-nodes-bitrix24.git',
		'git+ssh://git@github.com/acme/n8n-nodes-bitrix24.git',
		'github:acme/n8n-nodes-bitrix24',
	])('reads owner/name from %s', (url) => {
		expect(githubRepository({ repository: { type: 'git', url } })).toEqual(REPOSITORY);
		expect(githubRepository({ repository: url })).toEqual(REPOSITORY);
	});

	it.each(['https://gitlab.com/acme/x', 'https://github.com/acme', 'https://github.com.evil.test/acme/x', ''])(
		'is undefined for %j',
		(url) => {
			expect(githubRepository({ repository: url })).toBeUndefined();
		},
	);
});

describe('metadataProblems', () => {
	it('accepts repository, bugs and homepage derived from one owner/name', () => {
		expect(metadataProblems(consistent)).toEqual([]);
	});

	it('requires a repository, since n8n matches it with the provenance', () => {
		expect(metadataProblems(withoutRepository(consistent))).toEqual([expect.stringContaining('has no `repository`')]);
	});

	it('refuses a repository that is not on GitHub', () => {
		expect(metadataProblems({ ...consistent, repository: 'https://gitlab.com/acme/x' })).toEqual([
			expect.stringContaining('not a GitHub repository URL'),
		]);
	});

	it('names bugs and homepage that do not follow the repository, with the value they must have', () => {
		const problems = metadataProblems({
			...consistent,
			bugs: { url: 'https://github.com/other/n8n-nodes-bitrix24/issues' },
			homepage: 'https://www.npmjs.com/package/n8n-nodes-bitrix24',
		});
		expect(problems).toEqual([
			expect.stringContaining('"https://github.com/acme/n8n-nodes-bitrix24/issues"'),
			expect.stringContaining('"https://github.com/acme/n8n-nodes-bitrix24#readme"'),
		]);
	});

	it('requires an author', () => {
		expect(metadataProblems({ ...consistent, author: { name: ' ' } })).toEqual([
			expect.stringContaining('no `author`'),
		]);
	});
});

describe('releaseProblems', () => {
	it('lets v<version> through when the metadata and changelog are in order', () => {
		expect(releaseProblems('v0.2.0', consistent, CHANGELOG)).toEqual([]);
	});

	it('refuses a tag that differs from package.json version', () => {
		expect(releaseProblems('v0.2.1', consistent, CHANGELOG)).toEqual([
			"the tag is v0.2.1 but package.json's version is 0.2.0",
		]);
	});

	it.each(['0.2.0', 'release-0.2.0', 'v0.2', 'refs/tags/v0.2.0'])('refuses %j, which is not a version tag', (tag) => {
		expect(releaseProblems(tag, consistent, CHANGELOG)).toEqual([expect.stringContaining('is not a version tag')]);
	});

	it('refuses a release whose package.json has no repository', () => {
		expect(releaseProblems('v0.2.0', withoutRepository(consistent), CHANGELOG)).toEqual([
			expect.stringContaining('has no `repository`'),
		]);
	});

	it('refuses a version the changelog has no section for', () => {
		expect(releaseProblems('v0.2.0', consistent, '# Changelog\n\n## [Unreleased]\n\n## [0.1.0]\n')).toEqual([
			'CHANGELOG.md has no "## [0.2.0]" section',
		]);
	});
});

describe('this repository', () => {
	it("package.json's repository, bugs, homepage and author are consistent", () => {
		expect(metadataProblems(JSON.parse(readRepoFile('package.json')) as PackageManifest)).toEqual([]);
	});

	it('the publish workflow publishes with provenance only after the release check and the tests', () => {
		const workflow = readRepoFile('.github/workflows/publish.yml');
		expect(workflow).toMatch(/^ {6}id-token: write$/m);
		expect(workflow).toMatch(/^ {4}needs: release-check$/m);
		expect(workflow).toMatch(/^ {4}needs: test$/m);
		expect(workflow).toContain('run: bash .ci/run');
		const publishJob = workflow.slice(workflow.indexOf('\n  publish:'));
		expect(publishJob.indexOf('npm run release:check')).toBeGreaterThan(0);
		expect(publishJob.indexOf('npm run release:check')).toBeLessThan(publishJob.indexOf('npm publish --provenance'));
	});

	it('CI runs .ci/run on pushes and pull requests, and .ci/run lints both workflows', () => {
		const workflow = readRepoFile('.github/workflows/ci.yml');
		expect(workflow).toMatch(/^ {2}push:$/m);
		expect(workflow).toMatch(/^ {2}pull_request:$/m);
		expect(workflow).toContain('run: bash .ci/run');
		expect(readRepoFile('.ci/run')).toContain('npm run lint:workflows');
	});
});
