import type { Fault, FaultKind } from './types';

/** Faults that hit the whole HTTP request before anything runs (also a whole batch). */
const WHOLE_REQUEST_KINDS: ReadonlySet<FaultKind> = new Set([
	'queryLimit',
	'html502',
	'html413',
	'jsonAnswer',
	'batchPartialAnswer',
	'redirect',
]);

interface QueuedFault {
	fault: Fault;
	remaining: number;
	toSkip: number;
}

/** One-shot (or `times`) faults, consumed in the order they were injected. */
export class FaultQueue {
	private queued: QueuedFault[] = [];

	inject(fault: Fault): void {
		this.queued.push({ fault: { ...fault }, remaining: fault.times ?? 1, toSkip: fault.skip ?? 0 });
	}

	/** A whole-request fault for a request that would run any of these methods. */
	takeForRequest(methods: readonly string[]): Fault | undefined {
		return this.take(
			(fault) => WHOLE_REQUEST_KINDS.has(fault.kind) && methods.some((method) => matches(fault, method)),
		);
	}

	/** A per-call fault for one method call (direct or inside a batch). */
	takeForCall(method: string): Fault | undefined {
		return this.take((fault) => !WHOLE_REQUEST_KINDS.has(fault.kind) && matches(fault, method));
	}

	clear(): void {
		this.queued = [];
	}

	private take(predicate: (fault: Fault) => boolean): Fault | undefined {
		const position = this.queued.findIndex((entry) => entry.remaining > 0 && predicate(entry.fault));
		if (position < 0) return undefined;
		const entry = this.queued[position];
		if (entry.toSkip > 0) {
			entry.toSkip--;
			return undefined;
		}
		entry.remaining--;
		if (entry.remaining <= 0) this.queued.splice(position, 1);
		return entry.fault;
	}
}

function matches(fault: Fault, method: string): boolean {
	const wanted = (fault.method ?? 'im.message.add').toLowerCase();
	return wanted === '*' || wanted === method.toLowerCase();
}
