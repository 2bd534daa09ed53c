/**
 * A fake-clock simulation of several n8n processes sending to one portal, for the pacing tests:
 * each process has its own pacer (when adaptive, the transport's PortalPacer; otherwise a bare
 * client-side bucket), runs several executions at once, each sending its requests one after the
 * other, and retries refusals the way the transport does (tell the pacer, wait retryDelayMs, pace
 * again).
 * The portal is Bitrix24's rule, independent of the client: +1 per request, continuous drain,
 * a request over capacity is refused and not counted.
 */
import { LeakyBucket, type RateLimits } from '../../../nodes/Bitrix24/transport/leakyBucket';
import { PortalPacer } from '../../../nodes/Bitrix24/transport/pacer';
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

/** What the simulated processes pace with: the transport's PortalPacer, or a fixed bucket. */
interface Pacer {
	reserveWithin(method: string, maxWaitMs: number): number | undefined;
	refused(method: string, sentAtMs: number): void;
	accepted(): void;
	readonly currentShare: number;
}

/** Fixed pacing: the plan's whole rate whatever the refusals, for comparison. */
class FixedPacer implements Pacer {
	readonly currentShare = 1;

	private readonly bucket: LeakyBucket;

	constructor(limits: RateLimits, now: () => number) {
		this.bucket = new LeakyBucket(limits, now);
	}

	reserveWithin(_method: string, maxWaitMs: number): number | undefined {
		return this.bucket.reserveWithin(maxWaitMs);
	}

	refused(): void {
		this.bucket.penalize();
	}

	accepted(): void {}
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
	const pacers: Pacer[] = [];

	const sendOne = async (pacer: Pacer): Promise<void> => {
		for (let attempt = 0; ; attempt++) {
			await events.sleep(pacer.reserveWithin('batch', Number.POSITIVE_INFINITY)!);
			const sentAtMs = events.nowMs;
			const ok = portal.receive(sentAtMs);
			await events.sleep(roundTripMs);
			if (ok) {
				accepted++;
				lastAcceptedMs = sentAtMs;
				pacer.accepted();
				return;
			}
			refused++;
			pacer.refused('batch', sentAtMs);
			await events.sleep(retryDelayMs(attempt, 'retry-rate-limit', { nowMs: events.nowMs }));
		}
	};

	const runs: Array<Promise<void>> = [];
	for (let processIndex = 0; processIndex < options.processes; processIndex++) {
		const pacer = options.adaptive
			? new PortalPacer(options.limits, events.now)
			: new FixedPacer(options.limits, events.now);
		pacers.push(pacer);
		for (let execution = 0; execution < options.executionsPerProcess; execution++) {
			runs.push(
				(async () => {
					await events.sleep(processIndex * (options.startStaggerMs ?? 0));
					const requests = options.requestsPerProcess?.[processIndex] ?? options.requestsPerExecution;
					for (let request = 0; request < requests; request++) await sendOne(pacer);
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
		finalShares: pacers.map((pacer) => pacer.currentShare),
	};
}
