import { sleep } from 'n8n-workflow';

/**
 * Waits `ms`, or less when the execution is stopped (n8n's execution cancel signal). Returns
 * false when it was stopped. Races the signal itself, so it ends promptly even with an
 * n8n-workflow whose `sleep` ignores the signal.
 */
export async function waitUnlessStopped(ms: number, signal: AbortSignal | undefined): Promise<boolean> {
	if (signal?.aborted) return false;
	if (ms <= 0) return true;
	if (!signal) {
		await sleep(ms);
		return true;
	}
	let onAbort = () => {};
	const stopped = new Promise<false>((resolve) => {
		onAbort = () => resolve(false);
		signal.addEventListener('abort', onAbort, { once: true });
	});
	try {
		return await Promise.race([
			sleep(ms, signal).then(
				() => true,
				() => false,
			),
			stopped,
		]);
	} finally {
		signal.removeEventListener('abort', onAbort);
	}
}
