/**
 * A fake-clock simulation of several n8n processes sending to one portal, for the pacing tests:
 * each process has its own client-side bucket (and, when adaptive, its own AdaptiveRate), runs
 * several executions at once, each sending its requests one after the other, and retries
 * refusals the way the transport does (penalize the bucket, wait retryDelayMs, pace again).
 * The portal is Bitrix24's rule, independent of the client: +1 per request, continuous drain,
 * a request over capacity is refused and not counted.
 */
import { AdaptiveRate } from '../../../nodes/Bitrix24/transport/adaptiveRate';
import { LeakyBucket, type RateLimits } from '../../../nodes/Bitrix24/transport/leakyBucket';
import { retryDelayMs } from '../../../nodes/Bitrix24/transport/retryPolicy';

export interface SimulationOptions {
	limits: RateLimits;
	processes: number;
	executionsPerProcess: number;
	requestsPerExecution: number;
	/** Overrides requestsPerExecution per process, for processes whose work ends at different times. */
	requestsPerProcess?: number[];
	adaptive: boolean;
	/** Time from sending a request to its answer. */
	roundTripMs?: number;
	/** Process p starts this many ms after process p-1 (queue workers pick up jobs at different moments). */
	startStaggerMs?: number;
}

export interface SimulationResult {
	wallMs: number;
	floorMs: number;
	accepted: number;
	refused: number;
	finalShares: number[];
}

class EventQueue {
	private events: Array<{ atMs: number; order: number; resume: () => void }> = [];

	private order = 0;

	nowMs = 0;

	readonly now = (): number => this.nowMs;

	sleep(ms: number): Promise<void> {
		return new Promise((resume) => {
			this.events.push({ atMs: this.nowMs + Math.max(0, ms), order: this.order++, resume });
		});
	}

	/** Runs events in time order until none is left; yields to pending promise callbacks between them. */
	async run(): Promise<void> {
		for (;;) {
			await new Promise((resolve) => setImmediate(resolve));
			if (this.events.length === 0) return;
			this.events.sort((a, b) => a.atMs - b.atMs || a.order - b.order);
			const next = this.events.shift()!;
			this.nowMs = next.atMs;
			next.resume();
		}
	}
}

class PortalBucket {
	private level = 0;

	private lastMs = 0;

	constructor(private readonly limits: RateLimits) {}

	receive(atMs: number): boolean {
		this.level = Math.max(0, this.level - ((atMs - this.lastMs) * this.limits.drainPerSecond) / 1000);
		this.lastMs = atMs;
		if (this.level + 1 > this.limits.capacity) return false;
		this.level += 1;
		return true;
	}
}

export async function simulateSharedPortal(options: SimulationOptions): Promise<SimulationResult> {
	const events = new EventQueue();
	const portal = new PortalBucket(options.limits);
	const roundTripMs = options.roundTripMs ?? 40;
	let accepted = 0;
	let refused = 0;
	let lastAcceptedMs = 0;
	const rates: AdaptiveRate[] = [];

	const sendOne = async (bucket: LeakyBucket, rate: AdaptiveRate): Promise<void> => {
		for (let attempt = 0; ; attempt++) {
			if (options.adaptive) bucket.updateLimits(rate.limitsFor(options.limits));
			await events.sleep(bucket.reserve());
			const sentAtMs = events.nowMs;
			const ok = portal.receive(sentAtMs);
			await events.sleep(roundTripMs);
			if (ok) {
				accepted++;
				lastAcceptedMs = sentAtMs;
				if (options.adaptive) rate.accepted();
				return;
			}
			refused++;
			bucket.penalize();
			if (options.adaptive) rate.refused(sentAtMs);
			await events.sleep(retryDelayMs(attempt, 'retry-rate-limit', { nowMs: events.nowMs }));
		}
	};

	const runs: Array<Promise<void>> = [];
	for (let processIndex = 0; processIndex < options.processes; processIndex++) {
		const bucket = new LeakyBucket(options.limits, events.now);
		const rate = new AdaptiveRate(events.now);
		rates.push(rate);
		for (let execution = 0; execution < options.executionsPerProcess; execution++) {
			runs.push(
				(async () => {
					await events.sleep(processIndex * (options.startStaggerMs ?? 0));
					const requests = options.requestsPerProcess?.[processIndex] ?? options.requestsPerExecution;
					for (let request = 0; request < requests; request++) await sendOne(bucket, rate);
				})(),
			);
		}
	}
	const finished = Promise.all(runs);
	await events.run();
	await finished;

	const total = accepted;
	return {
		wallMs: lastAcceptedMs,
		floorMs: (Math.max(0, total - options.limits.capacity) / options.limits.drainPerSecond) * 1000,
		accepted,
		refused,
		finalShares: rates.map((rate) => rate.currentShare),
	};
}
