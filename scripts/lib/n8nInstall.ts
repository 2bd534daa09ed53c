/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test/tool code runs in plain Node, not inside n8n */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runNpm } from './npmCommand';
import { cacheDir } from './paths';

export interface N8nInstallation {
	version: string;
	folder: string;
	/** The n8n CLI entry point; run it with the same node that installed it. */
	binary: string;
}

interface InstallMarker {
	version: string;
	nodeModulesAbi: string;
	installedAt: string;
	seconds: number;
	/** npm overrides used for this install (BITRIX24_N8N_NPM_OVERRIDES), if any. */
	overrides?: Record<string, string>;
}

const MARKER_FILE = 'install-complete.json';

export function n8nInstallFolder(version: string): string {
	return path.join(cacheDir, 'n8n', version);
}

/**
 * Installs n8n `version` into .cache/n8n/<version>/ once, and re-uses it afterwards.
 * A marker file is written only after the install and the native rebuild both succeeded,
 * so an interrupted install is simply redone.
 */
export async function ensureN8nInstalled(
	version: string,
	log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<N8nInstallation> {
	const folder = n8nInstallFolder(version);
	const binary = path.join(folder, 'node_modules', 'n8n', 'bin', 'n8n');
	const installation = { version, folder, binary };
	const marker = readMarker(folder);
	if (marker && marker.version === version && fs.existsSync(binary)) {
		if (marker.nodeModulesAbi === process.versions.modules) return installation;
		log(`n8n ${version}: cached install was built for another Node.js ABI; rebuilding native modules`);
		await runNpm(folder, ['rebuild', 'sqlite3'], log, 'rebuilding sqlite3');
		writeMarker(folder, { ...marker, nodeModulesAbi: process.versions.modules });
		return installation;
	}

	const started = Date.now();
	log(`Installing n8n ${version} into ${path.relative(process.cwd(), folder) || folder} (first run only; a few minutes, ~3 GB)`);
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({ name: 'n8n-install-cache', private: true, dependencies: { n8n: version }, ...npmOverrides() }, null, '\t') + '\n',
	);
	// Scripts are skipped on purpose: n8n's dependency tree runs many postinstall scripts that
	// download things; only sqlite3 (the default database) needs its native part built.
	await runNpm(folder, ['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'], log, 'downloading packages');
	await runNpm(folder, ['rebuild', 'sqlite3'], log, 'building sqlite3');
	if (!fs.existsSync(binary)) throw new Error(`n8n ${version} installed, but ${binary} is missing`);
	const seconds = Math.round((Date.now() - started) / 1000);
	writeMarker(folder, {
		version,
		nodeModulesAbi: process.versions.modules,
		installedAt: new Date().toISOString(),
		seconds,
		...npmOverrides(),
	});
	log(`n8n ${version} installed in ${seconds} s`);
	return installation;
}

function readMarker(folder: string): InstallMarker | undefined {
	try {
		return JSON.parse(fs.readFileSync(path.join(folder, MARKER_FILE), 'utf8')) as InstallMarker;
	} catch {
		return undefined;
	}
}

function writeMarker(folder: string, marker: InstallMarker): void {
	fs.writeFileSync(path.join(folder, MARKER_FILE), JSON.stringify(marker, null, '\t') + '\n');
}

/**
 * BITRIX24_N8N_NPM_OVERRIDES (JSON, e.g. '{"xlsx":"0.18.5"}') becomes npm `overrides` for the
 * install. For machines that reach only the npm registry: n8n 1.x depends on xlsx from
 * cdn.sheetjs.com, which such a machine cannot download. Off by default (the install is then
 * exactly what n8n pins).
 */
function npmOverrides(): { overrides?: Record<string, string> } {
	const text = process.env.BITRIX24_N8N_NPM_OVERRIDES?.trim();
	if (!text) return {};
	const overrides = JSON.parse(text) as Record<string, string>;
	return { overrides };
}
