/**
 * The fake portal as the benchmark's child process: the same flags and the same JSON line on
 * stdout as test/fakePortal/cli.ts, plus an IPC channel so the benchmark can read the portal's
 * counters (HTTP requests, 503s, 429s) and inject faults. Running the portal in its own process
 * keeps its CPU and memory out of the measured process, which then holds only n8n-core + the node.
 */
import { optionsFromCommandLine, stopOnSignals } from '../test/fakePortal/cli';
import { startFakePortal } from '../test/fakePortal';
import type { Fault, FakePortalStats, PostOptions } from '../test/fakePortal';

export type PortalRequest =
	| { type: 'stats' }
	| { type: 'inject'; fault: Fault }
	| { type: 'files' }
	| { type: 'requests' }
	/** A person writes in a chat (the trigger's input). */
	| { type: 'post'; options: PostOptions }
	| { type: 'calls' };

/** A received file without its bytes: enough to check it arrived whole. */
export interface ReceivedFile {
	name: string;
	size: number;
	sha256: string;
	messageId?: number;
}

export type PortalReply =
	| { type: 'stats'; stats: FakePortalStats; messageCount: number }
	| { type: 'injected' }
	| { type: 'files'; files: ReceivedFile[] }
	/** Arrival time (ms since the epoch) and HTTP status of every request, for timelines. */
	| { type: 'requests'; requests: Array<{ at: number; status: number }> }
	/** The new message's ID and the event it made for user 1 (the webhook's user). */
	| { type: 'posted'; messageId: number; eventId?: number }
	/** Every method call in arrival order, with the parameters the trigger checks need. */
	| { type: 'calls'; calls: Array<{ method: string; params: Record<string, unknown>; outcome: string }> };

async function main(): Promise<void> {
	const portal = await startFakePortal(optionsFromCommandLine());
	const { url, webhookUrl } = portal;
	console.log(JSON.stringify({ url, webhookUrl, demoUrl: `${url}/_demo` }));

	process.on('message', (request: PortalRequest) => {
		if (request.type === 'stats') {
			const reply: PortalReply = { type: 'stats', stats: { ...portal.stats }, messageCount: portal.messages.length };
			process.send?.(reply);
		} else if (request.type === 'requests') {
			const requests = portal.httpRequests.map(({ at, status }) => ({ at, status }));
			process.send?.({ type: 'requests', requests } satisfies PortalReply);
		} else if (request.type === 'inject') {
			portal.inject(request.fault);
			process.send?.({ type: 'injected' } satisfies PortalReply);
		} else if (request.type === 'post') {
			const message = portal.postMessage(request.options);
			const eventId = portal.pendingEvents(1).at(-1)?.eventId;
			process.send?.({ type: 'posted', messageId: message.id, eventId } satisfies PortalReply);
		} else if (request.type === 'calls') {
			const calls = portal.calls.map(({ method, params, outcome }) => ({
				method,
				params: { offset: params.offset, REPLY_ID: params.REPLY_ID },
				outcome,
			}));
			process.send?.({ type: 'calls', calls } satisfies PortalReply);
		} else if (request.type === 'files') {
			const files = portal.files.map(({ name, size, sha256, messageId }) => ({ name, size, sha256, messageId }));
			process.send?.({ type: 'files', files } satisfies PortalReply);
		}
	});
	// 'disconnect': the benchmark died without stopping us; do not linger.
	stopOnSignals(portal, 'disconnect');
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
