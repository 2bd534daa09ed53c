import * as path from 'node:path';

/**
 * The repository root, found from this file whether it runs as .ts (ts-jest) or compiled into
 * node_modules/.cache/bitrix24-tools (tsconfig.tools.json). The compiled copy lives under
 * node_modules on purpose: `n8n-node lint` runs `eslint .`, which skips node_modules but would
 * lint compiled JavaScript anywhere else (including .cache/).
 */
export const repoRoot: string = findRepoRoot(__dirname);

/**
 * What the tooling downloads (Node.js 24 when needed, the n8n install) lives here: `.cache/` in
 * the repository (git-ignored), or BITRIX24_CACHE_DIR, which lets several clones on one machine
 * share one n8n install.
 */
export const cacheDir = process.env.BITRIX24_CACHE_DIR || path.join(repoRoot, '.cache');

/**
 * What belongs to this checkout (packed tarballs, the e2e context, `npm start`'s n8n data)
 * always stays in its own `.cache/`, so that clones sharing a BITRIX24_CACHE_DIR can run at the
 * same time without overwriting each other.
 */
export const checkoutCacheDir = path.join(repoRoot, '.cache');

function findRepoRoot(start: string): string {
	// Compiled files live in <root>/node_modules/.cache/bitrix24-tools/scripts/lib, sources in <root>/scripts/lib.
	const compiledMarker = `${path.sep}node_modules${path.sep}.cache${path.sep}bitrix24-tools${path.sep}`;
	const index = start.indexOf(compiledMarker);
	if (index >= 0) return start.slice(0, index);
	return path.resolve(start, '..', '..');
}
