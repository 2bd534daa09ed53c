import type { RunningN8n } from '../../scripts/lib/n8nServer';

/**
 * Waiting in the real-n8n tests: they watch the fake portal (or n8n's webhooks) until what n8n
 * does shows, and a time-out says what was awaited with the end of n8n's own output, where the
 * reason usually is.
 */

/** The last lines n8n printed, for an error message. */
export function outputTail(server: RunningN8n | undefined): string {
	return `--- n8n output (tail)\n${server?.output().slice(-4000)}`;
}

export async function pause(ms: number): Promise<void> {
	await new Promise((resolve) => setTimeout(resolve, ms));
}

/** How often the watched state is looked at: in-process arrays, so often costs nothing. */
const LOOK_EVERY_MS = 100;

export type WaitFor = <T>(what: string, find: () => T | undefined | false, timeoutMs?: number) => Promise<T>;

/**
 * `waitFor(what, find, timeoutMs)` for a test file whose n8n is `serverOf()` (looked up at the
 * time-out: a test may restart n8n). It resolves with what `find` returned once that is neither
 * undefined nor false: a condition's `true`, or the message found.
 */
export function waitingOn(serverOf: () => RunningN8n | undefined): WaitFor {
	return async <T>(what: string, find: () => T | undefined | false, timeoutMs = 60_000): Promise<T> => {
		const deadline = Date.now() + timeoutMs;
		for (;;) {
			const found = find();
			if (found !== undefined && found !== false) return found;
			if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}\n${outputTail(serverOf())}`);
			await pause(LOOK_EVERY_MS);
		}
	};
}
