/** Starts bench/portalProcess in a child process and talks to it over IPC and HTTP. */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

import type { Fault, FakePortalStats, PostOptions, StoredMessage } from '../test/fakePortal';
import type { PortalReply, PortalRequest, ReceivedFile } from './portalProcess';

export interface PortalChildOptions {
	/** false: no rate limit at all. */
	rateLimit: { capacity: number; drainPerSecond: number } | false;
	latencyMs: number;
}

export interface PortalChild {
	/** The portal origin: safe to print (the webhook URL holds the webhook code). */
	url: string;
	webhookUrl: string;
	stats(): Promise<{ stats: FakePortalStats; messageCount: number }>;
	inject(fault: Fault): Promise<void>;
	/** Arrival time and HTTP status of every request the portal received. */
	requests(): Promise<Array<{ at: number; status: number }>>;
	/** What the portal stored, read over HTTP as any client would (GET /_demo/messages). */
	messages(): Promise<StoredMessage[]>;
	/** The files the portal received (name, size, SHA-256). */
	files(): Promise<ReceivedFile[]>;
	/** A person writes in a chat: the message's ID and the event it made for user 1. */
	postMessage(options: PostOptions): Promise<{ messageId: number; eventId?: number }>;
	/** Every method call the portal received, in order (offset and REPLY_ID parameters only). */
	calls(): Promise<Array<{ method: string; params: Record<string, unknown>; outcome: string }>>;
	stop(): Promise<void>;
}

const START_TIMEOUT_MS = 15_000;

function ask(child: ChildProcess, request: PortalRequest, replyType: PortalReply['type']): Promise<PortalReply> {
	return new Promise((resolve, reject) => {
		const onMessage = (reply: PortalReply) => {
			if (reply.type !== replyType) return;
			child.off('message', onMessage);
			resolve(reply);
		};
		child.on('message', onMessage);
		child.send(request, (error) => {
			if (error) {
				child.off('message', onMessage);
				reject(error);
			}
		});
	});
}

export async function startPortalChild(options: PortalChildOptions): Promise<PortalChild> {
	const script = join(__dirname, 'portalProcess.js');
	const child = spawn(
		process.execPath,
		[
			script,
			'--port=0',
			options.rateLimit
				? `--rate-limit=${options.rateLimit.capacity}/${options.rateLimit.drainPerSecond}`
				: '--rate-limit=off',
			`--latency-ms=${options.latencyMs}`,
		],
		{ stdio: ['ignore', 'pipe', 'inherit', 'ipc'] },
	);
	const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
	const firstLine = await Promise.race([
		once(lines, 'line').then(([line]) => String(line)),
		once(child, 'exit').then(([code]) => {
			throw new Error(`fake portal child exited with code ${String(code)} before it was ready`);
		}),
		new Promise<never>((_, reject) =>
			setTimeout(() => reject(new Error('fake portal child did not start in time')), START_TIMEOUT_MS).unref(),
		),
	]);
	const { url, webhookUrl } = JSON.parse(firstLine) as { url: string; webhookUrl: string };

	return {
		url,
		webhookUrl,
		async stats() {
			const reply = (await ask(child, { type: 'stats' }, 'stats')) as Extract<PortalReply, { type: 'stats' }>;
			return { stats: reply.stats, messageCount: reply.messageCount };
		},
		async inject(fault) {
			await ask(child, { type: 'inject', fault }, 'injected');
		},
		async requests() {
			const reply = (await ask(child, { type: 'requests' }, 'requests')) as Extract<PortalReply, { type: 'requests' }>;
			return reply.requests;
		},
		async messages() {
			const response = await fetch(`${url}/_demo/messages`);
			if (!response.ok) throw new Error(`GET /_demo/messages answered HTTP ${response.status}`);
			return (await response.json()) as StoredMessage[];
		},
		async files() {
			const reply = (await ask(child, { type: 'files' }, 'files')) as Extract<PortalReply, { type: 'files' }>;
			return reply.files;
		},
		async postMessage(options) {
			const reply = (await ask(child, { type: 'post', options }, 'posted')) as Extract<PortalReply, { type: 'posted' }>;
			return { messageId: reply.messageId, eventId: reply.eventId };
		},
		async calls() {
			const reply = (await ask(child, { type: 'calls' }, 'calls')) as Extract<PortalReply, { type: 'calls' }>;
			return reply.calls;
		},
		async stop() {
			if (child.exitCode !== null) return;
			const exited = once(child, 'exit');
			child.kill('SIGTERM');
			await exited;
		},
	};
}
