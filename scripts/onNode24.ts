/**
 * Runs a compiled tool script on Node.js 24 or newer: `node onNode24.js <script.js> [args…]`.
 * The benchmark loads undici for its baseline, which needs a newer Node.js than 20; with an older
 * Node on PATH the same pinned Node.js that runs n8n is fetched (once) and used, as for
 * `npm start`. Signals are passed on, and the script's exit code is this one's.
 */
import { spawn } from 'node:child_process';

import { ensureNodeRuntime } from './lib/nodeRuntime';

async function main(): Promise<number> {
	const [script, ...args] = process.argv.slice(2);
	if (!script) throw new Error('usage: node onNode24.js <script.js> [args…]');
	const runtime = await ensureNodeRuntime(24, (line) => console.error(line));
	const child = spawn(runtime.binary, [script, ...args], { stdio: 'inherit' });
	for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
	return await new Promise((resolve) => child.on('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0))));
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
