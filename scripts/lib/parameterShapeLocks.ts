import * as fs from 'node:fs';
import * as path from 'node:path';

import type { INodeTypeDescription } from 'n8n-workflow';

import type { ParameterEntry } from './parameterShapes';
import { breakingChanges, nodeVersions, parameterShapes } from './parameterShapes';
import { repoRoot } from './paths';

/**
 * Locks of published node versions: test/parameterShapes/<node>.v<version>.json holds the
 * parameter shapes of that node version as published. A lock is written once, when the version
 * is first released (`npm run shapes:lock`), and never rewritten afterwards.
 */
export const LOCK_FOLDER = path.join(repoRoot, 'test', 'parameterShapes');

export function lockFile(nodeName: string, version: number): string {
	return path.join(LOCK_FOLDER, `${nodeName}.v${version}.json`);
}

export function readLock(nodeName: string, version: number): ParameterEntry[] | undefined {
	const file = lockFile(nodeName, version);
	return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as ParameterEntry[]) : undefined;
}

export function writeLock(description: INodeTypeDescription, version: number): string {
	const file = lockFile(description.name, version);
	fs.mkdirSync(LOCK_FOLDER, { recursive: true });
	fs.writeFileSync(file, JSON.stringify(parameterShapes(description, version), null, '\t') + '\n');
	return file;
}

/** The node descriptions package.json's `n8n.nodes` lists, loaded with `load` (built or source). */
export function packageNodeDescriptions(load: (packagePath: string) => unknown): INodeTypeDescription[] {
	const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as {
		n8n: { nodes: string[] };
	};
	return manifest.n8n.nodes.map((packagePath) => {
		const exported = Object.values(load(packagePath) as Record<string, unknown>).find(
			(value) => typeof value === 'function',
		) as (new () => { description: INodeTypeDescription }) | undefined;
		if (!exported) throw new Error(`${packagePath} exports no node class`);
		return new exported().description;
	});
}

/**
 * Why the package's node versions break the versioning rule: a served version without a lock
 * (only when `requireLocks`, as for a release), or a locked version whose shapes changed.
 */
export function lockProblems(descriptions: INodeTypeDescription[], requireLocks: boolean): string[] {
	const problems: string[] = [];
	for (const description of descriptions) {
		for (const version of nodeVersions(description)) {
			const locked = readLock(description.name, version);
			const label = `${description.name} version ${version}`;
			if (!locked) {
				if (requireLocks) problems.push(`${label} has no parameter-shape lock (npm run shapes:lock)`);
				continue;
			}
			for (const change of breakingChanges(locked, parameterShapes(description, version))) {
				problems.push(`${label}: ${change}; such a change needs a new node version (docs/versioning.md)`);
			}
		}
	}
	return problems;
}
