/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test/tool code runs in plain Node, not inside n8n */
import * as path from 'node:path';

/**
 * The repository root, found from this file whether it runs as .ts (ts-jest) or compiled into
 * node_modules/.cache/bitrix24-tools (tsconfig.tools.json). The compiled copy lives under
 * node_modules on purpose: `n8n-node lint` runs `eslint .`, which skips node_modules but would
 * lint compiled JavaScript anywhere else (including .cache/).
 */
export const repoRoot: string = findRepoRoot(__dirname);

/**
 * Everything the tooling downloads or generates (the n8n install, n8n's data) lives here:
 * `.cache/` in the repository (git-ignored), or BITRIX24_CACHE_DIR, which lets CI keep one n8n
 * install across fresh clones on the same machine.
 */
export const cacheDir = process.env.BITRIX24_CACHE_DIR || path.join(repoRoot, '.cache');

function findRepoRoot(start: string): string {
	// Compiled files live in <root>/node_modules/.cache/bitrix24-tools/scripts/lib, sources in <root>/scripts/lib.
	const compiledMarker = `${path.sep}node_modules${path.sep}.cache${path.sep}bitrix24-tools${path.sep}`;
	const index = start.indexOf(compiledMarker);
	if (index >= 0) return start.slice(0, index);
	return path.resolve(start, '..', '..');
}
