/**
 * The n8n release the demo and the end-to-end suite run against. Pinned: a floating tag
 * would make the suite's result depend on the day it ran.
 * BITRIX24_N8N_VERSION overrides it (for the 1.x compatibility run, for example).
 */
export const DEFAULT_N8N_VERSION = '2.41.1';

export function selectedN8nVersion(env: NodeJS.ProcessEnv = process.env): string {
	const requested = env.BITRIX24_N8N_VERSION?.trim();
	if (!requested) return DEFAULT_N8N_VERSION;
	// Only exact versions: the cache folder is keyed by it and a range would make the cache lie.
	if (!/^\d+\.\d+\.\d+$/.test(requested)) {
		throw new Error(`BITRIX24_N8N_VERSION must be an exact version like 1.123.4, got "${requested}"`);
	}
	return requested;
}

/** n8n 2.x refuses to start on Node < 24 and 1.x on Node < 20. */
export function requiredNodeMajor(n8nVersion: string): number {
	return Number(n8nVersion.split('.')[0]) >= 2 ? 24 : 20;
}
