/**
 * What must hold before `npm publish` (scripts/checkRelease.ts, run by the publish workflow) and
 * on every CI run (test/unit/tools/releaseChecks.test.ts):
 * - package.json's `repository` names a GitHub repository. n8n verifies a community package by
 *   matching that URL with the repository in its npm provenance statement, so it is required.
 * - `bugs` and `homepage` are derived from `repository` (the one place the maintainer sets the
 *   GitHub owner/name); `npm run package:metadata -- --write` rewrites them from it.
 * - A release tag is `v` + package.json's version, and CHANGELOG.md has a section for it.
 */

export interface PackageManifest {
	name?: string;
	version?: string;
	author?: string | { name?: string };
	repository?: string | { type?: string; url?: string };
	bugs?: string | { url?: string };
	homepage?: string;
}

export interface GitHubRepository {
	owner: string;
	name: string;
}

const GITHUB_NAME = '[A-Za-z0-9][A-Za-z0-9_.-]*';
// The forms npm accepts for a GitHub repository: git+https://github.com/o/n.git, https://…,
// git://…, git+ssh://git@github.com/o/n.git, and the shorthand github:o/n.
const GITHUB_URL = new RegExp(
	`^(?:git\\+)?(?:https|git|ssh)://(?:git@)?github\\.com/(${GITHUB_NAME})/(${GITHUB_NAME})(?:\\.git)?/?$`,
);
const GITHUB_SHORTHAND = new RegExp(`^github:(${GITHUB_NAME})/(${GITHUB_NAME})$`);

export function repositoryUrl(manifest: PackageManifest): string | undefined {
	const repository = manifest.repository;
	const url = typeof repository === 'string' ? repository : repository?.url;
	return url?.trim() || undefined;
}

/** The GitHub owner/name package.json's `repository` points to, or undefined. */
export function githubRepository(manifest: PackageManifest): GitHubRepository | undefined {
	const url = repositoryUrl(manifest);
	if (!url) return undefined;
	const match = GITHUB_URL.exec(url) ?? GITHUB_SHORTHAND.exec(url);
	if (!match) return undefined;
	return { owner: match[1], name: match[2].replace(/\.git$/, '') };
}

/** `repository`, `bugs` and `homepage` as npm writes them for one GitHub repository. */
export function metadataFor(
	repository: GitHubRepository,
): Required<Pick<PackageManifest, 'repository' | 'bugs' | 'homepage'>> {
	const web = `https://github.com/${repository.owner}/${repository.name}`;
	return {
		repository: { type: 'git', url: `git+${web}.git` },
		bugs: { url: `${web}/issues` },
		homepage: `${web}#readme`,
	};
}

function linkOf(value: string | { url?: string } | undefined): string | undefined {
	return typeof value === 'string' ? value : value?.url;
}

/** Why package.json cannot be published and verified as it is; empty when it can. */
export function metadataProblems(manifest: PackageManifest): string[] {
	const problems: string[] = [];
	const authorName = typeof manifest.author === 'string' ? manifest.author : manifest.author?.name;
	if (!authorName?.trim()) problems.push('package.json has no `author`: n8n compares it with the GitHub repository');
	const url = repositoryUrl(manifest);
	if (!url) {
		problems.push(
			'package.json has no `repository`: n8n verifies a package by matching it with the GitHub repository in its provenance',
		);
		return problems;
	}
	const repository = githubRepository(manifest);
	if (!repository) {
		problems.push(`package.json \`repository\` is "${url}", which is not a GitHub repository URL`);
		return problems;
	}
	const expected = metadataFor(repository);
	const bugs = linkOf(manifest.bugs);
	if (bugs !== linkOf(expected.bugs)) {
		problems.push(
			`package.json \`bugs.url\` is ${bugs ? `"${bugs}"` : 'missing'}; for ${repository.owner}/${repository.name} it is "${linkOf(expected.bugs)}" (npm run package:metadata -- --write)`,
		);
	}
	if (manifest.homepage !== expected.homepage) {
		problems.push(
			`package.json \`homepage\` is ${manifest.homepage ? `"${manifest.homepage}"` : 'missing'}; for ${repository.owner}/${repository.name} it is "${expected.homepage}" (npm run package:metadata -- --write)`,
		);
	}
	return problems;
}

/** Why `tag` must not be published from this package.json and changelog; empty when it may. */
export function releaseProblems(tag: string, manifest: PackageManifest, changelog: string): string[] {
	const problems: string[] = [];
	const version = manifest.version ?? '';
	const tagMatch = /^v(\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?)$/.exec(tag.trim());
	if (!tagMatch) {
		problems.push(`"${tag}" is not a version tag like v${version || '1.2.3'}`);
	} else if (tagMatch[1] !== version) {
		problems.push(`the tag is ${tag} but package.json's version is ${version || 'missing'}`);
	}
	problems.push(...metadataProblems(manifest));
	if (version && !changelogHasVersion(changelog, version)) {
		problems.push(`CHANGELOG.md has no "## [${version}]" section`);
	}
	return problems;
}

function changelogHasVersion(changelog: string, version: string): boolean {
	const escaped = version.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
	return new RegExp(`^## \\[${escaped}\\]`, 'm').test(changelog);
}
