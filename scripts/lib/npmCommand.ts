import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How to run npm's CLI with `nodeBinary`. Running it with the node that will run n8n matters:
 * install scripts (sqlite3's native build) then compile for that node, whatever node runs this
 * script.
 */
export function npmInvocation(nodeBinary: string = process.execPath): { command: string; prefixArgs: string[] } {
	const fromNpmScript = process.env.npm_execpath;
	if (fromNpmScript && fromNpmScript.endsWith('.js') && fs.existsSync(fromNpmScript)) {
		return { command: nodeBinary, prefixArgs: [fromNpmScript] };
	}
	const besideNode = path.resolve(
		path.dirname(process.execPath),
		'..',
		'lib',
		'node_modules',
		'npm',
		'bin',
		'npm-cli.js',
	);
	if (fs.existsSync(besideNode)) return { command: nodeBinary, prefixArgs: [besideNode] };
	return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefixArgs: [] };
}

/**
 * Inherited npm settings that must not reach an install into a cache folder. Inside `npm run`,
 * npm exports the project's configuration to child processes as npm_config_* variables; the
 * project's `ignore-scripts=true` would then silently turn sqlite3's build into a no-op, and
 * a `local_prefix` or `prefix` would point npm back at the project. Registry, cache and proxy
 * settings are kept, so a user's own registry setup still works.
 */
const KEPT_NPM_SETTINGS =
	/^npm_config_(registry|cache|userconfig|globalconfig|https?_proxy|proxy|noproxy|strict_ssl|cafile|ca)$/i;

/**
 * Environment for npm child processes: `nodeBinary` first in PATH, node-gyp pointed at that
 * node's own headers when they ship with it (a user-level `nodedir` for another Node version
 * would otherwise compile sqlite3 against the wrong headers), and no inherited npm settings
 * except the ones above.
 */
export function npmEnvironment(
	base: NodeJS.ProcessEnv = process.env,
	nodeBinary: string = process.execPath,
): NodeJS.ProcessEnv {
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(base)) {
		const npmOwned =
			/^npm_(config|package|lifecycle)_/i.test(name) || /^npm_(command|execpath|node_execpath)$/i.test(name);
		if (!npmOwned || KEPT_NPM_SETTINGS.test(name)) env[name] = value;
	}
	const nodeBinDir = path.dirname(nodeBinary);
	env.PATH = `${nodeBinDir}${path.delimiter}${base.PATH ?? ''}`;
	const nodeHome = path.resolve(nodeBinDir, '..');
	if (fs.existsSync(path.join(nodeHome, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeHome;
	// Anything npm itself should not do while installing a tool into a cache folder.
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_update_notifier = 'false';
	return env;
}

/** Runs npm (with `nodeBinary`) in `folder`, keeping its full output in install.log and printing a short progress line. */
export function runNpm(
	folder: string,
	args: string[],
	log: (line: string) => void,
	what: string,
	nodeBinary: string = process.execPath,
): Promise<void> {
	const { command, prefixArgs } = npmInvocation(nodeBinary);
	const logFile = fs.openSync(path.join(folder, 'install.log'), 'a');
	fs.writeSync(logFile, `\n$ npm ${args.join(' ')}\n`);
	const child = spawn(command, [...prefixArgs, ...args], {
		cwd: folder,
		env: npmEnvironment(process.env, nodeBinary),
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	const started = Date.now();
	let fetched = 0;
	const countFetches = (chunk: Buffer): void => {
		fs.writeSync(logFile, chunk);
		fetched += chunk.toString('utf8').split('fetch GET').length - 1;
	};
	child.stdout.on('data', countFetches);
	child.stderr.on('data', countFetches);
	const progress = setInterval(() => {
		const seconds = Math.round((Date.now() - started) / 1000);
		log(`  ... ${what}: ${seconds} s${fetched > 0 ? `, ${fetched} package documents fetched` : ''}`);
	}, 10_000);
	return new Promise((resolve, reject) => {
		child.on('error', (error) => {
			clearInterval(progress);
			fs.closeSync(logFile);
			reject(error);
		});
		child.on('close', (code) => {
			clearInterval(progress);
			fs.closeSync(logFile);
			if (code === 0) resolve();
			else reject(new Error(`npm ${args[0]} failed with exit code ${code}; see ${path.join(folder, 'install.log')}`));
		});
	});
}
