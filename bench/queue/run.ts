/**
 * `npm run bench:queue`: this package in n8n's queue mode, as a team that outgrew one process
 * runs it: Redis, PostgreSQL, one n8n main and W workers (all from the cached n8n install), and
 * the fake portal at Bitrix24's real limits in its own process. Fires C concurrent executions of
 * N messages through a production webhook, waits for them, checks that every message arrived
 * exactly once, and prints wall time against the floor and the portal's refusals.
 *
 *   npm run bench:queue -- [--workers=2] [--concurrency=4] [--messages=2500] [--burst=50] [--rate=2]
 *   npm run bench:queue -- --ci      2 workers, 4 x 500 messages, a 5-request bucket they must share
 *   npm run bench:queue -- --trigger the Bitrix24 Trigger instead: events confirmed only after the
 *                                    worker's execution finished (see triggerCheck.ts)
 *
 * Exits non-zero when a message is lost or duplicated or an execution fails (and, without --ci,
 * when a target is missed). Everything it starts is stopped by PID, on errors and signals too.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { webhookCredential } from '../../scripts/lib/bitrix24Fixtures';
import { packPackage } from '../../scripts/lib/communityPackage';
import { assertCommandSucceeded } from '../../scripts/lib/n8nCli';
import { ensureN8nInstalled } from '../../scripts/lib/n8nInstall';
import { selectedN8nVersion } from '../../scripts/lib/n8nVersion';
import { checkoutCacheDir } from '../../scripts/lib/paths';
import type { StoredMessage } from '../../test/fakePortal';
import { startPortalChild } from '../portalChild';
import type { PortalChild } from '../portalChild';
import { ChildProcesses } from './childProcesses';
import { mainInstance, randomEncryptionKey, startQueueCluster } from './n8nQueueCluster';
import { messageText, queueBenchWorkflow, WEBHOOK_PATH } from './queueWorkflow';
import { ensureServerPackages, startPostgres, startRedis } from './services';
import { checkTriggerInQueueMode, queueTriggerWorkflow } from './triggerCheck';

const BATCH_SIZE = 50;
const WORKFLOW_ID = 'QueueBench000001';
const CREDENTIAL_ID = 'QueueBenchCred01';

/** The issue's targets: wall time against the floor, and the share of refused requests. */
const TARGETS: Record<number, { ratio: number; refused: number }> = {
	2: { ratio: 1.1, refused: 0.05 },
	4: { ratio: 1.15, refused: 0.05 },
};

function positiveNumber(value: string, name: string): number {
	const number = Number(value);
	if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
	return number;
}

function parseOptions() {
	const { values } = parseArgs({
		options: {
			workers: { type: 'string' },
			concurrency: { type: 'string' },
			messages: { type: 'string' },
			burst: { type: 'string' },
			rate: { type: 'string' },
			ci: { type: 'boolean', default: false },
			'keep-folder': { type: 'boolean', default: false },
			trigger: { type: 'boolean', default: false },
		},
	});
	const ci = values.ci === true;
	return {
		ci,
		workers: Math.round(positiveNumber(values.workers ?? '2', 'workers')),
		concurrency: Math.round(positiveNumber(values.concurrency ?? '4', 'concurrency')),
		messages: Math.round(positiveNumber(values.messages ?? (ci ? '500' : '2500'), 'messages')),
		// CI: a bucket the workers exhaust at once, so they must share it from the first second.
		burst: positiveNumber(values.burst ?? (ci ? '5' : '50'), 'burst'),
		rate: positiveNumber(values.rate ?? '2', 'rate'),
		keepFolder: values['keep-folder'] === true,
		trigger: values.trigger === true,
	};
}

interface Outcome {
	wallMs: number;
	floorMs: number;
	requests: number;
	refused: number;
	stored: number;
	lost: number;
	duplicated: number;
	unexpected: number;
	executions: Record<string, number>;
	/** From the webhook calls to the portal's first request: n8n taking up the executions. */
	firstRequestMs: number;
	/** Accepted / refused requests per 10 s since the first request. */
	timeline: string;
	finishedAfterMs: number[];
	/** Bull hands a job to whichever worker asks first (10 at a time by default), so W workers may not all get one. */
	executionsPerWorker?: number[];
}

async function main(): Promise<number> {
	const options = parseOptions();
	const processes = new ChildProcesses();
	let portal: PortalChild | undefined;
	const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-queue-bench-'));
	// PostgreSQL runs as its own account and must reach its data folder inside this one.
	fs.chmodSync(folder, 0o755);

	let stopping: Promise<void> | undefined;
	const stopEverything = (): Promise<void> => {
		stopping ??= (async () => {
			await processes.stopAll();
			await portal?.stop();
			if (!options.keepFolder) fs.rmSync(folder, { recursive: true, force: true });
		})();
		return stopping;
	};
	for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
		process.once(signal, () => {
			console.error(`\n${signal}: stopping everything the benchmark started`);
			void stopEverything().finally(() => process.exit(130));
		});
	}

	try {
		const { postgresBin } = ensureServerPackages();
		const installation = await ensureN8nInstalled(selectedN8nVersion(), (line) => console.log(line));
		const packed = await packPackage(path.join(checkoutCacheDir, 'queue-bench-pack'));
		const startedAt = Date.now();
		const [redis, postgres, startedPortal] = await Promise.all([
			startRedis(processes, folder),
			startPostgres(processes, folder, postgresBin),
			startPortalChild({ rateLimit: { capacity: options.burst, drainPerSecond: options.rate }, latencyMs: 0 }),
		]);
		portal = startedPortal;
		console.log(
			`Redis on ${redis.port}, PostgreSQL on ${postgres.port}, fake portal ${portal.url} (bucket ${options.burst}, ${options.rate}/s)`,
		);

		const encryptionKey = randomEncryptionKey();
		const main = await mainInstance({ installation, packed, folder, encryptionKey, redis, postgres });
		const credential = webhookCredential(CREDENTIAL_ID, 'Bitrix24 queue bench', portal.webhookUrl);
		await main.importCredentials([credential]);
		const workflow = options.trigger
			? queueTriggerWorkflow(credential)
			: queueBenchWorkflow(WORKFLOW_ID, credential, options.messages);
		await main.importWorkflows([workflow]);
		assertCommandSucceeded(await main.command(['publish:workflow', `--id=${workflow.id}`]));

		const cluster = await startQueueCluster({
			processes,
			installation,
			packed,
			folder,
			encryptionKey,
			redis,
			postgres,
			main,
			workers: options.workers,
		});
		console.log(
			`n8n ${installation.version}: main ${cluster.mainUrl} and ${options.workers} workers ready in ${Math.round((Date.now() - startedAt) / 1000)} s`,
		);

		if (options.trigger) {
			const code = await checkTriggerInQueueMode(portal);
			const perWorker = cluster.workers.map(
				(worker) => worker.output().match(/Worker started execution/g)?.length ?? 0,
			);
			console.log(`executions started per worker: ${perWorker.join(', ')} (the main process ran the trigger only)`);
			return perWorker.reduce((sum, count) => sum + count, 0) > 0 ? code : 1;
		}
		const outcome = await runLoad(cluster.mainUrl, postgres.query, portal, options);
		outcome.executionsPerWorker = cluster.workers.map(
			(worker) => worker.output().match(/Worker started execution/g)?.length ?? 0,
		);
		return report(options, outcome);
	} finally {
		await stopEverything();
	}
}

async function runLoad(
	mainUrl: string,
	query: (sql: string) => string,
	portal: PortalChild,
	options: ReturnType<typeof parseOptions>,
): Promise<Outcome> {
	const requests = Math.ceil(options.messages / BATCH_SIZE) * options.concurrency;
	const floorMs = (Math.max(0, requests - options.burst) / options.rate) * 1000;
	const before = (await portal.stats()).stats;

	const firedAt = Date.now();
	await Promise.all(
		Array.from({ length: options.concurrency }, async (_, run) => {
			const response = await fetch(`${mainUrl}/webhook/${WEBHOOK_PATH}`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ run }),
			});
			if (!response.ok)
				throw new Error(`webhook call ${run} answered HTTP ${response.status}: ${await response.text()}`);
		}),
	);

	// Generous: a run that has not finished by then is broken, not slow.
	const deadline = firedAt + floorMs * 3 + 300_000;
	let executions: Record<string, number> = {};
	for (;;) {
		executions = Object.fromEntries(
			query('select status, count(*) from execution_entity group by status')
				.split('\n')
				.filter((line) => line !== '')
				.map((line) => {
					const [status, count] = line.split('|');
					return [status, Number(count)];
				}),
		);
		const finished = Object.entries(executions)
			.filter(([status]) => !['new', 'running', 'waiting', 'unknown'].includes(status))
			.reduce((sum, [, count]) => sum + count, 0);
		if (finished >= options.concurrency) break;
		if (Date.now() > deadline) throw new Error(`executions not finished in time: ${JSON.stringify(executions)}`);
		await new Promise((resolve) => setTimeout(resolve, 250));
	}
	const lastStoppedMs = Number(
		query(`select floor(extract(epoch from max("stoppedAt")) * 1000) from execution_entity`),
	);
	const wallMs = lastStoppedMs - firedAt;
	// When each execution (one per worker when C = W) finished: a spread means unequal shares.
	const finishedAfterMs = query(
		`select floor(extract(epoch from "stoppedAt") * 1000) from execution_entity order by "stoppedAt"`,
	)
		.split('\n')
		.filter((line) => line !== '')
		.map((line) => Number(line) - firedAt);

	const after = (await portal.stats()).stats;
	const arrivals = (await portal.requests()).filter((request) => request.at >= firedAt);
	const firstAt = arrivals.length > 0 ? Math.min(...arrivals.map((request) => request.at)) : firedAt;
	const slices: Array<{ ok: number; refused: number }> = [];
	for (const request of arrivals) {
		const slice = Math.floor((request.at - firstAt) / 10_000);
		for (let index = slices.length; index <= slice; index++) slices.push({ ok: 0, refused: 0 });
		if (request.status === 503) slices[slice].refused++;
		else slices[slice].ok++;
	}
	const stored = await portal.messages();
	return {
		wallMs,
		floorMs,
		requests: after.httpRequests - before.httpRequests,
		refused: after.queryLimitRefusals - before.queryLimitRefusals,
		...exactlyOnce(stored, options.concurrency, options.messages),
		executions,
		firstRequestMs: firstAt - firedAt,
		finishedAfterMs,
		timeline: slices.map((slice) => `${slice.ok}${slice.refused > 0 ? `+${slice.refused}r` : ''}`).join(' '),
	};
}

function exactlyOnce(stored: StoredMessage[], runs: number, messagesPerRun: number) {
	const counts = new Map<string, number>();
	for (const message of stored) counts.set(message.message, (counts.get(message.message) ?? 0) + 1);
	let lost = 0;
	let duplicated = 0;
	let expectedCount = 0;
	for (let run = 0; run < runs; run++) {
		for (let index = 1; index <= messagesPerRun; index++) {
			const count = counts.get(messageText(run, index)) ?? 0;
			expectedCount += Math.min(count, 1);
			if (count === 0) lost++;
			if (count > 1) duplicated += count - 1;
		}
	}
	const unexpected = stored.length - expectedCount - duplicated;
	return { stored: stored.length, lost, duplicated, unexpected };
}

function report(options: ReturnType<typeof parseOptions>, outcome: Outcome): number {
	const ratio = outcome.wallMs / outcome.floorMs;
	const refusedShare = outcome.requests === 0 ? 0 : outcome.refused / outcome.requests;
	// The targets are for the real limits; the CI mode's small bucket is about correctness only.
	const realLimits = options.burst === 50 && options.rate === 2;
	const target = !options.ci && realLimits ? TARGETS[options.workers] : undefined;
	const total = options.concurrency * options.messages;
	const rows: Array<[string, string]> = [
		['Workers', String(options.workers)],
		['Executions x messages', `${options.concurrency} x ${options.messages} = ${total}`],
		['Portal bucket', `${options.burst} burst, ${options.rate}/s`],
		['Wall time', `${(outcome.wallMs / 1000).toFixed(1)} s`],
		['Floor', `${(outcome.floorMs / 1000).toFixed(1)} s`],
		['Ratio', `${ratio.toFixed(3)}${target ? ` (target <= ${target.ratio})` : ''}`],
		['HTTP requests', String(outcome.requests)],
		[
			'Refused (503)',
			`${outcome.refused} (${(100 * refusedShare).toFixed(1)} %)${target ? ` (target <= ${target.refused * 100} %)` : ''}`,
		],
		['Stored', `${outcome.stored} of ${total}`],
		['Lost / duplicated / unexpected', `${outcome.lost} / ${outcome.duplicated} / ${outcome.unexpected}`],
		['Executions', JSON.stringify(outcome.executions)],
		['First request after the webhook calls', `${(outcome.firstRequestMs / 1000).toFixed(1)} s`],
		['Requests per 10 s (accepted+refused)', outcome.timeline],
		['Executions per worker', outcome.executionsPerWorker?.join(', ') ?? 'unknown'],
		['Executions finished after', outcome.finishedAfterMs.map((ms) => `${(ms / 1000).toFixed(1)} s`).join(', ')],
		['Load average (1 min)', os.loadavg()[0].toFixed(1)],
	];
	console.log('\n| Figure | Result |\n|---|---|');
	for (const [name, value] of rows) console.log(`| ${name} | ${value} |`);

	const failures: string[] = [];
	if (outcome.lost > 0 || outcome.duplicated > 0 || outcome.unexpected > 0 || outcome.stored !== total) {
		failures.push('messages were lost or duplicated');
	}
	const failedExecutions = Object.entries(outcome.executions).filter(([status]) => status !== 'success');
	if (failedExecutions.length > 0) failures.push(`executions did not succeed: ${JSON.stringify(failedExecutions)}`);
	if (target) {
		if (ratio > target.ratio) failures.push(`wall time ${ratio.toFixed(3)} x floor is over the ${target.ratio} target`);
		if (refusedShare > target.refused)
			failures.push(`${(100 * refusedShare).toFixed(1)} % refused is over the ${target.refused * 100} % target`);
	}
	console.log(failures.length === 0 ? '\nOK' : `\nFAIL: ${failures.join('; ')}`);
	return failures.length === 0 ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
