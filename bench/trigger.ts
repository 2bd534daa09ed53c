/**
 * `npm run bench:trigger`: how fast an active workflow answers in a Bitrix24 chat. A workflow
 * Bitrix24 Trigger → Bitrix24 Send (a reply) runs under `n8n start` against the fake portal at
 * Bitrix24's real limits (Standard plan: burst 50, 2 requests/s). People write messages at random
 * moments; the time from each message to its reply arriving at the portal is measured.
 *
 *   npm run bench:trigger -- [--messages=20] [--window=60] [--check-every=5] [--mode=user]
 *
 * --mode=user reads the credential user's events (im.v2.Event.get, the Bitrix24 Trigger); other
 * modes (a bot's events) plug in through `BENCH_MODES`. Prints the median and the largest time,
 * and exits non-zero when a reply is missing, doubled, or a target is missed.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { webhookCredential } from '../scripts/lib/bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture } from '../scripts/lib/bitrix24Fixtures';
import { packPackage } from '../scripts/lib/communityPackage';
import { HeadlessN8n } from '../scripts/lib/headlessN8n';
import { assertCommandSucceeded } from '../scripts/lib/n8nCli';
import { ensureN8nInstalled } from '../scripts/lib/n8nInstall';
import { startN8nServer } from '../scripts/lib/n8nServer';
import type { RunningN8n } from '../scripts/lib/n8nServer';
import { selectedN8nVersion } from '../scripts/lib/n8nVersion';
import { checkoutCacheDir } from '../scripts/lib/paths';
import { replyWorkflow } from '../scripts/lib/triggerFixtures';
import { startFakePortal } from '../test/fakePortal';
import type { FakePortal } from '../test/fakePortal';

/** The targets with default settings. */
const TARGET_MEDIAN_MS = 4000;
const TARGET_LARGEST_MS = 8000;
const REAL_STANDARD_LIMITS = { capacity: 50, drainPerSecond: 2 };
const WORKFLOW_ID = 'BenchTriggerRep1';
const REPLY = 'Thanks, we are on it.';
/** People who write, and the chats they write in (the credential's user, 1, is in each). */
const PEOPLE = [2, 3, 4, 5];
const CHATS = ['chat1', 'chat2', 'chat3', 'chat4'];

interface BenchMode {
	description: string;
	/** The workflow to import, for the portal's webhook credential. */
	workflow(credential: CredentialFixture, checkEverySeconds?: number): WorkflowFixture;
	/** Whether the trigger is listening (subscribed and reading). */
	listening(portal: FakePortal): boolean;
	/** One person's message; returns the ID its reply will carry as replyId. */
	write(portal: FakePortal, index: number): number;
}

const BENCH_MODES: Record<string, BenchMode> = {
	user: {
		description: "Bitrix24 Trigger on the webhook user's events (im.v2.Event.get)",
		workflow: (credential, checkEverySeconds) =>
			replyWorkflow({ id: WORKFLOW_ID, name: 'bench: trigger and reply', credential, reply: REPLY, checkEverySeconds }),
		listening: (portal) => portal.isSubscribed(1) && portal.calls.some((call) => call.method === 'im.v2.event.get'),
		write: (portal, index) =>
			portal.postMessage({
				authorId: PEOPLE[index % PEOPLE.length],
				dialogId: CHATS[Math.floor(Math.random() * CHATS.length)],
				text: `Question ${index + 1}: is the build green?`,
			}).id,
	},
};

function parseOptions() {
	const { values } = parseArgs({
		args: process.argv.slice(2),
		options: {
			messages: { type: 'string', default: '20' },
			window: { type: 'string', default: '60' },
			'check-every': { type: 'string' },
			mode: { type: 'string', default: 'user' },
			'no-targets': { type: 'boolean' },
			verbose: { type: 'boolean' },
		},
		strict: true,
		allowPositionals: false,
	});
	const positive = (value: string, name: string) => {
		const number = Number(value);
		if (!Number.isFinite(number) || number <= 0) throw new Error(`--${name} must be a positive number, got "${value}"`);
		return number;
	};
	const mode = BENCH_MODES[values.mode];
	if (!mode) throw new Error(`--mode must be one of ${Object.keys(BENCH_MODES).join(', ')}, got "${values.mode}"`);
	return {
		messages: Math.round(positive(values.messages, 'messages')),
		windowMs: positive(values.window, 'window') * 1000,
		checkEverySeconds: values['check-every'] === undefined ? undefined : positive(values['check-every'], 'check-every'),
		mode,
		modeName: values.mode,
		checkTargets: values['no-targets'] !== true,
		verbose: values.verbose === true,
	};
}

const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	const middle = Math.floor(sorted.length / 2);
	return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number, server?: RunningN8n) {
	const deadline = Date.now() + timeoutMs;
	while (!condition()) {
		if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n${server?.output().slice(-3000) ?? ''}`);
		await sleep(20);
	}
}

/** --verbose: every call the portal receives, with the time since the first message. */
function logCalls(portal: FakePortal, startedAt: number): void {
	let seen = portal.calls.length;
	const timer = setInterval(() => {
		for (const call of portal.calls.slice(seen)) {
			const offset = call.params.offset === undefined ? '' : ` offset=${String(call.params.offset)}`;
			console.log(`  +${((Date.now() - startedAt) / 1000).toFixed(2)} s ${call.method}${offset} ${call.outcome}`);
		}
		seen = portal.calls.length;
	}, 20);
	timer.unref();
}

async function main(): Promise<void> {
	const options = parseOptions();
	const installation = await ensureN8nInstalled(selectedN8nVersion());
	const packed = await packPackage(path.join(checkoutCacheDir, 'bench-trigger-pack'));
	const portal = await startFakePortal({ rateLimit: REAL_STANDARD_LIMITS });
	const n8n = await HeadlessN8n.create({ installation, packed, logLevel: 'warn' });
	let server: RunningN8n | undefined;
	try {
		const credential = webhookCredential('BenchTriggerCrd1', 'Bitrix24 bench webhook', portal.webhookUrl);
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([options.mode.workflow(credential, options.checkEverySeconds)]);
		assertCommandSucceeded(await n8n.command(['publish:workflow', `--id=${WORKFLOW_ID}`]));
		server = await startN8nServer({ installation, env: n8n.env });
		await waitFor('the trigger to listen', () => options.mode.listening(portal), 60_000, server);

		console.log(
			`n8n ${installation.version}, ${options.mode.description}, check every ${options.checkEverySeconds ?? 'default (5)'} s; ` +
				`${options.messages} messages at random moments over ${options.windowMs / 1000} s`,
		);
		const moments = Array.from({ length: options.messages }, () => Math.random() * options.windowMs).sort(
			(a, b) => a - b,
		);
		const startedAt = Date.now();
		if (options.verbose) logCalls(portal, startedAt);
		const questions: Array<{ id: number; writtenAt: number }> = [];
		const answeredAt = new Map<number, number>();
		const pending = () => questions.filter((question) => !answeredAt.has(question.id));
		// Watches for replies while people write: each reply is timed when it reaches the portal.
		const watcher = setInterval(() => {
			for (const question of pending()) {
				if (portal.messages.some((message) => message.replyId === question.id)) answeredAt.set(question.id, Date.now());
			}
		}, 10);
		for (const [index, moment] of moments.entries()) {
			await sleep(Math.max(0, startedAt + moment - Date.now()));
			questions.push({ id: options.mode.write(portal, index), writtenAt: Date.now() });
			if (options.verbose) console.log(`  +${((Date.now() - startedAt) / 1000).toFixed(2)} s message ${index + 1}`);
		}
		await waitFor('every reply', () => pending().length === 0, 120_000, server).catch((error: Error) =>
			console.error(error.message.split('\n')[0]),
		);
		clearInterval(watcher);
		await sleep(options.checkEverySeconds ? options.checkEverySeconds * 2000 : 10_000);

		const latencies = questions
			.filter((question) => answeredAt.has(question.id))
			.map((question) => (answeredAt.get(question.id) as number) - question.writtenAt);
		const replies = portal.messages.filter((message) => message.replyId !== undefined && message.authorId === 1);
		const doubled = replies.length - new Set(replies.map((message) => message.replyId)).size;
		const missing = questions.length - latencies.length;
		const medianMs = latencies.length > 0 ? median(latencies) : Number.NaN;
		const largestMs = latencies.length > 0 ? Math.max(...latencies) : Number.NaN;
		const refused = portal.calls.filter((call) => call.outcome === 'QUERY_LIMIT_EXCEEDED').length;
		const seconds = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
		console.log(
			`message → reply: median ${seconds(medianMs)}, largest ${seconds(largestMs)} ` +
				`(targets ≤ ${seconds(TARGET_MEDIAN_MS)} / ≤ ${seconds(TARGET_LARGEST_MS)})`,
		);
		console.log(
			`replies ${latencies.length}/${questions.length}, missing ${missing}, doubled ${doubled}, refused requests ${refused}`,
		);
		console.log(`all latencies (s): ${latencies.map((ms) => (ms / 1000).toFixed(2)).join(' ')}`);

		const failed =
			missing > 0 ||
			doubled > 0 ||
			(options.checkTargets && (medianMs > TARGET_MEDIAN_MS || largestMs > TARGET_LARGEST_MS));
		process.exitCode = failed ? 1 : 0;
	} finally {
		await server?.stop();
		n8n.dispose();
		await portal.close();
	}
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exitCode = 1;
});
