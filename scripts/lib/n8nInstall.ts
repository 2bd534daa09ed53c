import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { ensureNodeRuntime } from './nodeRuntime';
import { runNpm } from './npmCommand';
import { requiredNodeMajor } from './n8nVersion';
import { cacheDir } from './paths';

export interface N8nInstallation {
	version: string;
	folder: string;
	/** The n8n CLI entry point; run it with `node`. */
	binary: string;
	/** The node binary that runs n8n: the one on PATH when new enough, else the provided one. */
	node: string;
}

interface InstallMarker {
	version: string;
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
 * Installs n8n `version` into <cache>/n8n/<version>/ once, and re-uses it afterwards. The
 * install is checked on every use (sqlite3's native binding loads under the node that runs n8n,
 * and `n8n --version` answers); the marker is written only after that check passed, so an
 * install that is interrupted or broken is never taken for a complete one. A cached install
 * that fails the check is repaired (sqlite3 rebuilt) or, failing that, installed again.
 */
export async function ensureN8nInstalled(
	version: string,
	log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<N8nInstallation> {
	const runtime = await ensureNodeRuntime(requiredNodeMajor(version), log);
	const folder = n8nInstallFolder(version);
	const binary = path.join(folder, 'node_modules', 'n8n', 'bin', 'n8n');
	const installation: N8nInstallation = { version, folder, binary, node: runtime.binary };

	const marker = readMarker(folder);
	if (marker?.version === version && fs.existsSync(binary)) {
		const problem = installationProblem(installation);
		if (!problem) return installation;
		log(`n8n ${version}: the cached install is broken (${problem}); rebuilding sqlite3`);
		await buildSqlite(installation, log);
		const remaining = installationProblem(installation);
		if (!remaining) {
			log(`n8n ${version}: repaired`);
			return installation;
		}
		log(`n8n ${version}: still broken after the rebuild (${remaining}); installing again`);
	}

	const started = Date.now();
	log(`Installing n8n ${version} into ${folder} (first run only; a few minutes, ~3 GB)`);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify(
			{ name: 'n8n-install-cache', private: true, dependencies: { n8n: version }, ...npmOverrides() },
			null,
			'\t',
		) + '\n',
	);
	// Scripts are skipped on purpose: n8n's dependency tree runs many postinstall scripts that
	// download things; only sqlite3 (the default database) needs its native part built.
	await runNpm(
		folder,
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'],
		log,
		'downloading packages',
		installation.node,
	);
	await buildSqlite(installation, log);
	const problem = installationProblem(installation);
	if (problem) {
		throw new Error(
			`n8n ${version} was installed into ${folder}, but ${problem}. The full npm output is in ${path.join(folder, 'install.log')}.`,
		);
	}
	const seconds = Math.round((Date.now() - started) / 1000);
	writeMarker(folder, { version, installedAt: new Date().toISOString(), seconds, ...npmOverrides() });
	log(`n8n ${version} installed and checked in ${seconds} s`);
	return installation;
}

async function buildSqlite(installation: N8nInstallation, log: (line: string) => void): Promise<void> {
	await rebuildPackage(installation.folder, 'sqlite3', installation.node, log);
}

/**
 * Runs the install scripts of `name` in `folder` (node-gyp builds) with `nodeBinary`.
 * `--ignore-scripts=false` is explicit: an inherited `npm_config_ignore_scripts=true` (the
 * project's .npmrc, passed down by `npm run`) would otherwise make this a silent no-op: npm
 * reports success and builds nothing.
 */
export async function rebuildPackage(
	folder: string,
	name: string,
	nodeBinary: string,
	log: (line: string) => void,
): Promise<void> {
	await runNpm(
		folder,
		['rebuild', name, '--ignore-scripts=false', '--foreground-scripts'],
		log,
		`building ${name}`,
		nodeBinary,
	);
}

/** Why the install cannot run n8n, or undefined when it can. Takes a second or two. */
export function installationProblem(installation: N8nInstallation): string | undefined {
	if (!fs.existsSync(installation.binary)) return `${installation.binary} is missing`;
	const sqlite = spawnSync(
		installation.node,
		['-e', "const sqlite3 = require('sqlite3'); new sqlite3.Database(':memory:').close();"],
		{ cwd: installation.folder, encoding: 'utf8', timeout: 60_000 },
	);
	if (sqlite.status !== 0) {
		const reason =
			(sqlite.stderr || sqlite.stdout || '').split('\n').find((line) => /Error|Cannot find/.test(line)) ??
			`exit ${sqlite.status}`;
		return `sqlite3's native binding does not load under Node.js at ${installation.node}: ${reason.trim()}`;
	}
	const n8n = spawnSync(installation.node, [installation.binary, '--version'], {
		cwd: installation.folder,
		encoding: 'utf8',
		timeout: 120_000,
		env: { ...process.env, N8N_DIAGNOSTICS_ENABLED: 'false', N8N_VERSION_NOTIFICATIONS_ENABLED: 'false' },
	});
	const printed = `${n8n.stdout ?? ''}`.trim();
	if (n8n.status !== 0 || !printed.includes(installation.version)) {
		return `\`n8n --version\` did not answer ${installation.version} (exit ${n8n.status ?? n8n.signal}: ${printed || `${n8n.stderr ?? ''}`.trim().slice(0, 200)})`;
	}
	return undefined;
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
