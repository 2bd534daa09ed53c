/**
 * `npm run bench`: sends N messages through the Bitrix24 node in real n8n-core execution against a
 * fake portal with Bitrix24's real rate limit (bucket 50, drain 2/s) running in a child process,
 * and compares with one plain HTTP request per item (what n8n's HTTP Request node would do).
 * Prints Markdown tables; exits non-zero if the node lost, duplicated or reordered any message.
 *
 *   node node_modules/.cache/bitrix24-tools/bench/throughput.js [--sizes=100,1000,10000] [--latency-ms=50]
 *       [--baseline-limit-minutes=5] [--out=results.md]
 */
import '../test/harness/env';

import { writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import type { Fault } from '../test/fakePortal';
import { runBitrix24 } from '../test/harness/runWorkflow';
import { sendOneByOne } from './baseline';
import { checkDelivery } from './delivery';
import type { DeliveryCheck } from './delivery';
import { measure } from './measure';
import type { MeasureOptions } from './measure';
import { startPortalChild } from './portalChild';
import type { PortalChild, PortalChildOptions } from './portalChild';

const REAL_LIMITS = { capacity: 50, drainPerSecond: 2 };
const BATCH_SIZE = 50;
const DIALOG_ID = 'chat1';

const { values: options } = parseArgs({
	args: process.argv.slice(2),
	options: {
		sizes: { type: 'string', default: '100,1000,10000' },
		'latency-ms': { type: 'string', default: '50' },
		'baseline-limit-minutes': { type: 'string', default: '5' },
		out: { type: 'string', default: '' },
		/** For profiling: --extra=no skips the cold, small-bucket, fault and memory runs. */
		extra: { type: 'string', default: 'yes' },
		/** For profiling: --baseline=no skips the baseline. */
		baseline: { type: 'string', default: 'yes' },
	},
	strict: true,
	allowPositionals: false,
});

const SIZES = options.sizes.split(',').map(Number);
const LATENCY_MS = Number(options['latency-ms']);
const BASELINE_LIMIT_MS = Number(options['baseline-limit-minutes']) * 60_000;
const OUT_FILE = options.out;
const EXTRA_RUNS = options.extra !== 'no';
const BASELINE_RUNS = options.baseline !== 'no';

const output: string[] = [];
function print(line = ''): void {
	console.log(line);
	output.push(line);
}

function table(header: string[], rows: string[][]): void {
	print(`| ${header.join(' | ')} |`);
	print(`|${header.map(() => '---').join('|')}|`);
	for (const row of rows) print(`| ${row.join(' | ')} |`);
	print();
}

const seconds = (ms: number) => (ms / 1000).toFixed(2);
const kib = (bytes: number) => (bytes / 1024).toFixed(2);
const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);

type Limits = { capacity: number; drainPerSecond: number };

/** Least time the portal's bucket allows for N messages in batches of 50, plus one round trip. */
function floorMs(count: number, limits: Limits = REAL_LIMITS): number {
	return (Math.max(0, Math.ceil(count / BATCH_SIZE) - limits.capacity) / limits.drainPerSecond) * 1000 + LATENCY_MS;
}

/** Least time for a client that waits for each answer before sending the next request. */
function sequentialFloorMs(count: number, limits: Limits = REAL_LIMITS): number {
	return Math.max(floorMs(count, limits), Math.ceil(count / BATCH_SIZE) * LATENCY_MS);
}

const textsFor = (count: number) => Array.from({ length: count }, (_, index) => `bench message #${index} of ${count}`);

/** Long Cyrillic messages at Bitrix24's 20,000-character cut: each takes ~120 KB in a batch query. */
const LONG_MESSAGE_CHARACTERS = 20_000;
const longCyrillicTextsFor = (count: number) =>
	Array.from({ length: count }, (_, index) => {
		const head = `длинное сообщение #${index} `;
		return head + 'ж'.repeat(LONG_MESSAGE_CHARACTERS - head.length);
	});

interface NodeRun {
	label: string;
	count: number;
	requests: number;
	refused503: number;
	refused429: number;
	wallMs: number;
	cpuMsPerItem: number;
	peakRssBytes: number;
	heapPeakPerItem: number;
	heapRetainedPerItem: number;
	status: string;
	delivery: DeliveryCheck;
	/** The portal's limits; false when it had none (no floor to compare with). */
	limits: Limits | false;
}

async function withPortal<T>(options: PortalChildOptions, job: (portal: PortalChild) => Promise<T>): Promise<T> {
	const portal = await startPortalChild(options);
	try {
		return await job(portal);
	} finally {
		await portal.stop();
	}
}

async function runNode(
	label: string,
	count: number,
	portalOptions: PortalChildOptions,
	faults: Array<{ atMs: number; fault: Fault }> = [],
	measureOptions: MeasureOptions = {},
	nodeOptions: INodeParameters = {},
	makeTexts: (count: number) => string[] = textsFor,
): Promise<NodeRun> {
	return await withPortal(portalOptions, async (portal) => {
		const texts = makeTexts(count);
		const items: IDataObject[] = texts.map((text) => ({ text }));
		const parameters: INodeParameters = {
			authentication: 'webhook',
			dialogId: { __rl: true, mode: 'id', value: DIALOG_ID },
			message: '={{ $json.text }}',
			options: nodeOptions,
		};
		const timers = faults.map(({ atMs, fault }) => setTimeout(() => void portal.inject(fault), atMs));
		const measured = await measure(
			async () =>
				await runBitrix24({
					credentials: { bitrix24WebhookApi: { webhookUrl: portal.webhookUrl } },
					items,
					parameters,
				}),
			measureOptions,
		);
		timers.forEach(clearTimeout);
		const result = measured.value;
		const { stats } = await portal.stats();
		const stored = await portal.messages();
		const delivery = checkDelivery(
			texts,
			stored,
			result.output.map((item) => item.json.messageId),
		);
		return {
			label,
			count,
			requests: stats.httpRequests,
			refused503: stats.queryLimitRefusals,
			refused429: stats.operationTimeLimitRefusals,
			wallMs: measured.wallMs,
			cpuMsPerItem: measured.cpuMs / count,
			peakRssBytes: measured.peakRssBytes,
			heapPeakPerItem: (measured.heapPeakBytes - measured.heapBeforeBytes) / count,
			heapRetainedPerItem: (measured.heapRetainedBytes - measured.heapBeforeBytes) / count,
			status: result.status === 'success' ? 'success' : `${result.status}: ${result.error?.message ?? ''}`,
			delivery,
			limits: portalOptions.rateLimit,
		};
	});
}

interface BaselineRun {
	count: number;
	requests?: number;
	refused503?: number;
	delivered?: number;
	wallMs?: number;
	note?: string;
}

async function runBaseline(count: number): Promise<BaselineRun> {
	return await withPortal({ rateLimit: REAL_LIMITS, latencyMs: LATENCY_MS }, async (portal) => {
		const started = performance.now();
		const result = await sendOneByOne(portal.webhookUrl, DIALOG_ID, textsFor(count));
		const wallMs = performance.now() - started;
		const { messageCount } = await portal.stats();
		return { count, requests: result.requests, refused503: result.refused503, delivered: messageCount, wallMs };
	});
}

function nodeRow(run: NodeRun): string[] {
	return [
		run.label,
		run.count.toLocaleString('en-US'),
		String(run.requests),
		String(run.refused503),
		String(run.refused429),
		seconds(run.wallMs),
		run.limits ? seconds(floorMs(run.count, run.limits)) : '-',
		run.limits ? (run.wallMs / floorMs(run.count, run.limits)).toFixed(2) : '-',
		run.limits ? seconds(sequentialFloorMs(run.count, run.limits)) : '-',
		run.cpuMsPerItem.toFixed(3),
		mib(run.peakRssBytes),
		kib(run.heapPeakPerItem),
		kib(run.heapRetainedPerItem),
		run.status === 'success' ? run.delivery.summary : `${run.status}; ${run.delivery.summary}`,
	];
}

const NODE_HEADER = [
	'Run',
	'N',
	'HTTP requests',
	'503s',
	'429s',
	'Wall s',
	'Floor s',
	'Wall / floor',
	'Sequential floor s',
	'CPU ms/item',
	'Peak RSS MB',
	'Heap peak KiB/item (incl. garbage)',
	'Heap retained KiB/item',
	'Delivery check',
];

function verdict(pass: boolean): string {
	return pass ? 'met' : '**missed**';
}

async function main(): Promise<void> {
	print('## Bitrix24 node throughput benchmark');
	print();
	print(
		`Node ${process.version}, ${cpus()[0]?.model ?? 'unknown CPU'} x ${cpus().length}; fake portal in a child process, ` +
			`bucket ${REAL_LIMITS.capacity} / drain ${REAL_LIMITS.drainPerSecond} per s, latency ${LATENCY_MS} ms per request; ` +
			'node defaults (batching on, standard plan, no continue-on-fail); a fresh portal (empty bucket) for every run.',
	);
	print();
	print(
		"Floor = max(0, ceil(N/50) - capacity) / drain s + latency, for the portal's limits (50 and 2/s unless the run says otherwise; " +
			"the fault run's floor ignores the injected refusals). Generic form for the real limits: max(0, ceil(N/50) - 50) / 2 s + latency. " +
			'Sequential floor = max(floor, ceil(N/50) x latency): the least time for a ' +
			'client that waits for each answer before the next request. CPU = user + system time of the measuring process ' +
			'(n8n-core + the node) / N. Heap peak = highest heapUsed sampled every 50 ms minus heapUsed before, per item ' +
			'(garbage included, except in the memory run, which forces a full GC before each sample); ' +
			"heap retained = heapUsed after a full GC with the run result (n8n's input and output items) still held, per item.",
	);
	print();

	const realPortal = { rateLimit: REAL_LIMITS, latencyMs: LATENCY_MS };
	const nodeRuns: NodeRun[] = [];
	if (EXTRA_RUNS) {
		// The first workflow in a process pays for loading and JIT-compiling n8n-core and the node.
		nodeRuns.push(await runNode('node, cold (first run in the process)', 100, realPortal));
		console.error('cold run done');
	}
	for (const count of SIZES) {
		nodeRuns.push(await runNode('node', count, realPortal));
		console.error(`node N=${count} done`);
	}
	if (EXTRA_RUNS) {
		nodeRuns.push(
			await runNode('node, portal bucket 5 / drain 2', 1000, {
				rateLimit: { capacity: 5, drainPerSecond: 2 },
				latencyMs: LATENCY_MS,
			}),
		);
		console.error('small bucket done');
		nodeRuns.push(
			await runNode('node, injected 503s and 429s', 1000, realPortal, [
				{ atMs: 0, fault: { kind: 'queryLimit', method: 'batch', times: 2 } },
				{ atMs: 0, fault: { kind: 'operationTimeLimit', resetAfterMs: 1000 } },
				{ atMs: 1500, fault: { kind: 'queryLimit', method: 'batch' } },
				{ atMs: 2500, fault: { kind: 'operationTimeLimit', resetAfterMs: 1500 } },
				{ atMs: 4000, fault: { kind: 'queryLimit', method: 'batch' } },
			]),
		);
		console.error('faults done');
		// Memory only: a full GC before each sample, so the peak is live data, not garbage; its CPU
		// and wall figures include those GCs and are not comparable. Memory does not depend on the
		// pacing, so the portal has no limit and the node runs on the Enterprise plan (burst 250):
		// the run takes seconds instead of 75 s.
		nodeRuns.push(
			await runNode(
				'node, memory run (GC before each 250 ms sample; no rate limit, Enterprise plan)',
				Math.max(...SIZES),
				{ rateLimit: false, latencyMs: LATENCY_MS },
				[],
				{ liveHeap: true, sampleIntervalMs: 250 },
				{ ratePlan: 'enterprise' },
			),
		);
		console.error('memory run done');
		// Long texts: memory must grow with the chunk being sent, not with the run (commands are
		// encoded per chunk, just before sending). Peak RSS is the figure to read.
		nodeRuns.push(
			await runNode(
				'node, 2,000 x 20,000-character Cyrillic messages (no rate limit, Enterprise plan)',
				2000,
				{ rateLimit: false, latencyMs: LATENCY_MS },
				[],
				{},
				{ ratePlan: 'enterprise' },
				longCyrillicTextsFor,
			),
		);
		console.error('long messages done');
	}

	print('### The node');
	print();
	table(NODE_HEADER, nodeRuns.map(nodeRow));

	const baselineRuns: BaselineRun[] = [];
	let msPerRequest: number | undefined;
	for (const count of BASELINE_RUNS ? SIZES : []) {
		const estimateMs = msPerRequest === undefined ? undefined : msPerRequest * count;
		if (estimateMs !== undefined && estimateMs > BASELINE_LIMIT_MS) {
			baselineRuns.push({ count, note: `not run (would take ~${Math.round(estimateMs / 60_000)} min)` });
			continue;
		}
		const run = await runBaseline(count);
		msPerRequest = (run.wallMs ?? 0) / count;
		baselineRuns.push(run);
		console.error(`baseline N=${count} done`);
	}
	print("### Baseline: one HTTP request per item (as n8n's HTTP Request node), no pacing, no retry");
	print();
	table(
		['N', 'HTTP requests', '503s (= lost messages)', 'Delivered', 'Wall s'],
		baselineRuns.map((run) =>
			run.note !== undefined
				? [run.count.toLocaleString('en-US'), run.note, '', '', '']
				: [
						run.count.toLocaleString('en-US'),
						String(run.requests),
						String(run.refused503),
						String(run.delivered),
						seconds(run.wallMs ?? 0),
					],
		),
	);

	print('### Against the throughput targets');
	print();
	const rows: string[][] = [];
	const byCount = (count: number) => nodeRuns.find((run) => run.label === 'node' && run.count === count);
	const thousand = byCount(1000);
	if (thousand) {
		const bound = 1.5 * (floorMs(1000) + LATENCY_MS);
		rows.push(['1,000: HTTP requests <= 20', String(thousand.requests), verdict(thousand.requests <= 20)]);
		rows.push(['1,000: 0 503s', String(thousand.refused503), verdict(thousand.refused503 === 0)]);
		rows.push([
			`1,000: wall <= 1.5 x (floor + latency) = ${seconds(bound)} s`,
			`${seconds(thousand.wallMs)} s`,
			verdict(thousand.wallMs <= bound),
		]);
	}
	const tenThousand = byCount(10_000);
	if (tenThousand) {
		const bound = 1.1 * floorMs(10_000);
		rows.push(['10,000: HTTP requests <= 210', String(tenThousand.requests), verdict(tenThousand.requests <= 210)]);
		rows.push([
			`10,000: wall <= 1.1 x floor = ${seconds(bound)} s`,
			`${seconds(tenThousand.wallMs)} s`,
			verdict(tenThousand.wallMs <= bound),
		]);
	}
	const plainRuns = nodeRuns.filter((run) => run.label === 'node');
	const worstCpu = plainRuns.reduce(
		(worst, run) => (run.cpuMsPerItem > worst.cpuMsPerItem ? run : worst),
		plainRuns[0],
	);
	if (worstCpu) {
		rows.push([
			'CPU <= 0.5 ms per item (worst warm run)',
			`${worstCpu.cpuMsPerItem.toFixed(3)} ms (N=${worstCpu.count.toLocaleString('en-US')})`,
			verdict(worstCpu.cpuMsPerItem <= 0.5),
		]);
	}
	const memoryRun = nodeRuns.find((run) => run.label.startsWith('node, memory run'));
	if (memoryRun) {
		const aboveN8n = memoryRun.heapPeakPerItem - memoryRun.heapRetainedPerItem;
		rows.push([
			`Memory <= ~2 KB per item above n8n's own (memory run, N=${memoryRun.count.toLocaleString('en-US')}: live heap peak - retained run data)`,
			`${kib(aboveN8n)} KiB (peak ${kib(memoryRun.heapPeakPerItem)}, retained ${kib(memoryRun.heapRetainedPerItem)})`,
			verdict(aboveN8n <= 2048),
		]);
	}
	const allDelivered = nodeRuns.every((run) => run.delivery.ok && run.status === 'success');
	rows.push([
		'Zero messages lost or duplicated, in order, in every node run',
		allDelivered ? 'yes' : 'no',
		verdict(allDelivered),
	]);
	table(['Target', 'Measured', 'Verdict'], rows);

	if (OUT_FILE !== '') writeFileSync(OUT_FILE, `${output.join('\n')}\n`);
	// n8n-core keeps timers alive (SSH clients manager): exit explicitly.
	process.exit(allDelivered ? 0 : 1);
}

main().catch((error: unknown) => {
	console.error(error);
	process.exit(2);
});
