/** Wall time, CPU time and memory of one async job in this process. */
import { performance } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// A plain `node file.js` run has no global gc(); this exposes it without a command-line flag, so
// heap figures compare live data rather than whatever garbage happened to be collected.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

export const SAMPLE_INTERVAL_MS = 50;

export interface Measurement<T> {
	value: T;
	wallMs: number;
	/** User + system CPU of this process during the job. */
	cpuMs: number;
	rssBeforeBytes: number;
	peakRssBytes: number;
	heapBeforeBytes: number;
	/** Highest heapUsed seen by the sampler (includes garbage not yet collected unless liveHeap). */
	heapPeakBytes: number;
	/** heapUsed after a full GC with the job's result still referenced. */
	heapRetainedBytes: number;
}

export interface MeasureOptions {
	/**
	 * Force a full GC before every heap sample, so the peak is live data, not garbage. Costs CPU
	 * and time: use it only in a run whose CPU and wall time are not reported.
	 */
	liveHeap?: boolean;
	sampleIntervalMs?: number;
}

export async function measure<T>(job: () => Promise<T>, options: MeasureOptions = {}): Promise<Measurement<T>> {
	collectGarbage();
	const rssBeforeBytes = process.memoryUsage().rss;
	const heapBeforeBytes = process.memoryUsage().heapUsed;
	let peakRssBytes = rssBeforeBytes;
	let heapPeakBytes = heapBeforeBytes;
	const sample = () => {
		if (options.liveHeap) collectGarbage();
		const usage = process.memoryUsage();
		peakRssBytes = Math.max(peakRssBytes, usage.rss);
		heapPeakBytes = Math.max(heapPeakBytes, usage.heapUsed);
	};
	const sampler = setInterval(sample, options.sampleIntervalMs ?? SAMPLE_INTERVAL_MS);

	const cpuBefore = process.cpuUsage();
	const startedAt = performance.now();
	const value = await job();
	const wallMs = performance.now() - startedAt;
	const cpu = process.cpuUsage(cpuBefore);
	clearInterval(sampler);
	sample();

	collectGarbage();
	const heapRetainedBytes = process.memoryUsage().heapUsed;
	return {
		value,
		wallMs,
		cpuMs: (cpu.user + cpu.system) / 1000,
		rssBeforeBytes,
		peakRssBytes,
		heapBeforeBytes,
		heapPeakBytes,
		heapRetainedBytes,
	};
}
