/**
 * `npm run bench:file`: memory of one Send File upload. A 50 MB random file goes through the
 * Bitrix24 node in real n8n-core execution to the fake portal (in a child process, so its memory
 * is not counted), once per n8n binary data mode, each in a fresh process:
 *   - filesystem: n8n 2's default; items carry an ID and the node streams the file from disk;
 *   - memory: the legacy default mode; the item itself holds the file as base64.
 * Prints the peak RSS above the idle baseline and its ratio to the file size, and checks the
 * portal received the file unchanged (SHA-256).
 *
 *   node node_modules/.cache/bitrix24-tools/bench/fileUpload.js [--megabytes=50] [--mode=filesystem|memory]
 */
import '../test/harness/env';

import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

import { BinaryDataService } from 'n8n-core';

import { runBitrix24 } from '../test/harness/runWorkflow';
import { registerTestFile } from '../test/harness/testBinaryItemsNode';
import { startPortalChild } from './portalChild';

setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

const { values: options } = parseArgs({
	args: process.argv.slice(2),
	options: { megabytes: { type: 'string', default: '50' }, mode: { type: 'string', default: '' } },
	strict: true,
	allowPositionals: false,
});

const MEGABYTES = Number(options.megabytes);
const MODES = ['filesystem', 'memory'] as const;
type Mode = (typeof MODES)[number];
const isMode = (value: string): value is Mode => (MODES as readonly string[]).includes(value);

/** Linux keeps the process's peak RSS (VmHWM), and resets it on request: no sample is missed. */
function resetPeakRss(): void {
	writeFileSync('/proc/self/clear_refs', '5');
}

function peakRss(): number {
	const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
	if (!match) throw new Error('VmHWM not found in /proc/self/status');
	return Number(match[1]) * 1024;
}

interface ModeResult {
	mode: Mode;
	fileBytes: number;
	baselineRss: number;
	peakRss: number;
	wallMs: number;
	intact: boolean;
}

async function measureMode(mode: Mode): Promise<ModeResult> {
	if (mode === 'filesystem') {
		// n8n-core's own DI container (the top-level @n8n/di may be another version).
		const { Container } = createRequire(require.resolve('n8n-core'))('@n8n/di') as typeof import('@n8n/di');
		await Container.get(BinaryDataService).init();
	}
	const portal = await startPortalChild({ rateLimit: false, latencyMs: 0 });
	try {
		const upload = (token: string) =>
			runBitrix24({
				credentials: { bitrix24WebhookApi: { webhookUrl: portal.webhookUrl } },
				binaryItems: [{ binary: { data: token } }],
				parameters: {
					authentication: 'webhook',
					operation: 'sendFile',
					dialogId: { __rl: true, mode: 'id', value: 'chat1' },
					message: 'Memory benchmark',
				},
			});
		// Warm-up: loads and compiles every code path once, so the baseline is a ready process.
		await upload(registerTestFile({ bytes: randomBytes(64 * 1024), fileName: 'warmup.bin' }));

		const bytes = randomBytes(MEGABYTES * 1024 * 1024);
		const sha256 = createHash('sha256').update(bytes).digest('hex');
		const token = registerTestFile({ bytes, fileName: 'benchmark.bin', mimeType: 'application/octet-stream' });
		collectGarbage();
		await new Promise((resolve) => setTimeout(resolve, 200));
		collectGarbage();
		const baselineRss = process.memoryUsage().rss;
		resetPeakRss();
		const startedAt = Date.now();
		const result = await upload(token);
		const wallMs = Date.now() - startedAt;
		const peak = peakRss();
		if (result.error) throw new Error(`upload failed: ${result.error.message}`);
		const received = (await portal.files()).find((file) => file.name === 'benchmark.bin');
		return { mode, fileBytes: bytes.length, baselineRss, peakRss: peak, wallMs, intact: received?.sha256 === sha256 };
	} finally {
		await portal.stop();
	}
}

const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

async function main(): Promise<void> {
	const only = options.mode;
	if (only !== '') {
		if (!isMode(only)) throw new Error(`--mode must be one of ${MODES.join(', ')}`);
		// Child run: one mode, one JSON line for the parent.
		console.log(JSON.stringify(await measureMode(only)));
		return;
	}
	const results: ModeResult[] = [];
	for (const mode of MODES) {
		// A fresh process per mode: no garbage or cached pages from the other mode in the baseline.
		const stdout = execFileSync(process.execPath, [__filename, `--mode=${mode}`, `--megabytes=${MEGABYTES}`], {
			encoding: 'utf8',
			stdio: ['ignore', 'pipe', 'inherit'],
		});
		results.push(JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ModeResult);
	}
	console.log(`Send File memory, ${MEGABYTES} MB random file, one upload (im.v2.File.upload), Node ${process.version}`);
	console.log();
	console.log(
		'| n8n binary data mode | idle RSS | peak RSS | peak above idle | × file size | time | received intact |',
	);
	console.log('|---|---|---|---|---|---|---|');
	for (const result of results) {
		const above = result.peakRss - result.baselineRss;
		console.log(
			`| ${result.mode} | ${mib(result.baselineRss)} MB | ${mib(result.peakRss)} MB | ${mib(above)} MB | ${(above / result.fileBytes).toFixed(2)} | ${(result.wallMs / 1000).toFixed(1)} s | ${result.intact ? 'yes' : 'NO'} |`,
		);
	}
	if (results.some((result) => !result.intact)) process.exitCode = 1;
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.stack : error);
	process.exit(1);
});
