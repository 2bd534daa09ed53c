/* eslint-disable @n8n/community-nodes/no-restricted-imports, @n8n/community-nodes/no-restricted-globals -- test/tool code runs in plain Node, not inside n8n */
/* eslint-disable @n8n/community-nodes/no-dangerous-functions -- tool code: starting n8n, npm and tar is its job */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * How to run the npm that belongs to the node running this script. Using the same pair
 * matters: native modules (sqlite3) must be compiled for the node that will load them.
 */
export function npmInvocation(): { command: string; prefixArgs: string[] } {
	const fromNpmScript = process.env.npm_execpath;
	if (fromNpmScript && fromNpmScript.endsWith('.js') && fs.existsSync(fromNpmScript)) {
		return { command: process.execPath, prefixArgs: [fromNpmScript] };
	}
	const besideNode = path.resolve(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'bin', 'npm-cli.js');
	if (fs.existsSync(besideNode)) return { command: process.execPath, prefixArgs: [besideNode] };
	return { command: process.platform === 'win32' ? 'npm.cmd' : 'npm', prefixArgs: [] };
}

/**
 * Environment for npm child processes: this node first in PATH, and node-gyp pointed at this
 * node's own headers when they ship with it (a user-level `nodedir` for another Node version
 * would otherwise compile sqlite3 against the wrong headers).
 */
export function npmEnvironment(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
	const nodeBinDir = path.dirname(process.execPath);
	const env: NodeJS.ProcessEnv = { ...base, PATH: `${nodeBinDir}${path.delimiter}${base.PATH ?? ''}` };
	const nodeHome = path.resolve(nodeBinDir, '..');
	if (fs.existsSync(path.join(nodeHome, 'include', 'node', 'node.h'))) env.npm_config_nodedir = nodeHome;
	// Anything npm itself should not do while installing a tool into a cache folder.
	env.npm_config_fund = 'false';
	env.npm_config_audit = 'false';
	env.npm_config_update_notifier = 'false';
	return env;
}

/** Runs npm in `folder`, keeping its full output in install.log and printing a short progress line. */
export function runNpm(folder: string, args: string[], log: (line: string) => void, what: string): Promise<void> {
	const { command, prefixArgs } = npmInvocation();
	const logFile = fs.openSync(path.join(folder, 'install.log'), 'a');
	fs.writeSync(logFile, `\n$ npm ${args.join(' ')}\n`);
	const child = spawn(command, [...prefixArgs, ...args], { cwd: folder, env: npmEnvironment(), stdio: ['ignore', 'pipe', 'pipe'] });
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
