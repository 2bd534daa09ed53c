import {
	AdaptiveRate,
	MIN_RATE_SHARE,
	RATE_DECREASE_FACTOR,
	RATE_RECOVERY_ACCELERATION,
	RATE_RECOVERY_PER_SECOND,
} from '../../../nodes/Bitrix24/transport/adaptiveRate';
import { RATE_PLANS } from '../../../nodes/Bitrix24/transport/leakyBucket';
import { simulateSharedPortal, type SimulationOptions } from './sharedPortalSimulation';

class FakeClock {
	constructor(public nowMs = 1_700_000_000_000) {}

	readonly now = (): number => this.nowMs;
}

const standard = RATE_PLANS.standard;

describe('AdaptiveRate', () => {
	it('takes the whole plan rate until a refusal, then a smaller share of the drain with the same burst', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		expect(rate.limitsFor(standard)).toEqual(standard);
		clock.nowMs += 10;
		rate.refused(clock.nowMs - 5);
		expect(rate.currentShare).toBe(RATE_DECREASE_FACTOR);
		expect(rate.limitsFor(standard)).toEqual({ capacity: 50, drainPerSecond: 2 * RATE_DECREASE_FACTOR });
	});

	it('cuts once for requests that were already under way when the first refusal came back', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		rate.limitsFor(standard);
		const sentTogetherMs = clock.nowMs;
		clock.nowMs += 40;
		rate.refused(sentTogetherMs);
		clock.nowMs += 5;
		rate.refused(sentTogetherMs);
		expect(rate.currentShare).toBe(RATE_DECREASE_FACTOR);
		// A request paced at the new rate and refused again is news: cut again.
		clock.nowMs += 1000;
		rate.refused(clock.nowMs - 40);
		expect(rate.currentShare).toBe(RATE_DECREASE_FACTOR ** 2);
	});

	it('grows back while requests go through, slowly at first and faster the longer no refusal comes, up to the whole rate', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		rate.limitsFor(standard);
		rate.refused(clock.nowMs - 1);
		for (let second = 1; second <= 10; second++) {
			clock.nowMs += 1000;
			rate.accepted();
		}
		const afterTenSeconds =
			RATE_DECREASE_FACTOR + 10 * RATE_RECOVERY_PER_SECOND + (RATE_RECOVERY_ACCELERATION * 10 ** 2) / 2;
		expect(rate.currentShare).toBeCloseTo(afterTenSeconds, 9);
		// The second ten seconds add more than the first.
		for (let second = 11; second <= 20; second++) {
			clock.nowMs += 1000;
			rate.accepted();
		}
		expect(rate.currentShare - afterTenSeconds).toBeGreaterThan(afterTenSeconds - RATE_DECREASE_FACTOR);
		clock.nowMs += 3_600_000;
		rate.accepted();
		expect(rate.currentShare).toBe(1);
	});

	it('never goes below MIN_RATE_SHARE', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		for (let refusal = 0; refusal < 20; refusal++) {
			clock.nowMs += 1000;
			rate.refused(clock.nowMs - 1);
		}
		expect(rate.currentShare).toBe(MIN_RATE_SHARE);
	});

	const burstShared = (acceptedBeforeRefusal: number): number => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		rate.limitsFor(standard);
		for (let request = 0; request < acceptedBeforeRefusal; request++) {
			clock.nowMs += 10;
			rate.accepted();
		}
		clock.nowMs += 10;
		rate.refused(clock.nowMs - 10);
		return rate.currentShare;
	};

	it('after a shared burst, drops at once to the part of the bucket it got through', () => {
		// Two or three processes burst together into a 50-request bucket: this one got 20 through.
		expect(burstShared(20)).toBeGreaterThan(0.38);
		expect(burstShared(20)).toBeLessThan(0.4);
	});

	it('cuts at most twice at once, however little it got through', () => {
		expect(burstShared(2)).toBe(RATE_DECREASE_FACTOR ** 2);
	});
});

describe('several processes sharing one portal (fake clock)', () => {
	const shared = (processes: number, executionsPerProcess: number, adaptive: boolean): SimulationOptions => ({
		limits: standard,
		processes,
		executionsPerProcess,
		// 10,000 messages in batches of 50: 200 requests, as in the queue-mode benchmark.
		requestsPerExecution: 200 / (processes * executionsPerProcess),
		adaptive,
		startStaggerMs: 20,
		roundTripMs: 40,
	});
	const report = (label: string, result: Awaited<ReturnType<typeof simulateSharedPortal>>): number => {
		const refusedShare = result.refused / (result.refused + result.accepted);
		console.log(
			`${label}: ${(result.wallMs / 1000).toFixed(1)} s for a ${(result.floorMs / 1000).toFixed(0)} s floor, ` +
				`${result.refused} refused (${(100 * refusedShare).toFixed(1)} %)`,
		);
		return refusedShare;
	};

	it('one process alone is never refused and keeps the whole rate', async () => {
		const result = await simulateSharedPortal(shared(1, 4, true));
		report('1 process, adaptive', result);
		expect(result.refused).toBe(0);
		expect(result.finalShares).toEqual([1]);
		expect(result.wallMs).toBeLessThanOrEqual(result.floorMs * 1.01);
	});

	it('two processes: adaptive pacing refuses a third as often as fixed pacing, near the floor', async () => {
		const fixed = await simulateSharedPortal(shared(2, 2, false));
		const adaptive = await simulateSharedPortal(shared(2, 2, true));
		const fixedShare = report('2 processes, fixed pacing', fixed);
		const adaptiveShare = report('2 processes, adaptive', adaptive);
		expect(fixedShare).toBeGreaterThan(0.1);
		expect(adaptiveShare).toBeLessThanOrEqual(fixedShare / 2.5);
		expect(adaptive.accepted).toBe(200);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.15);
	});

	it('four processes: well under half the refusals of fixed pacing, near the floor', async () => {
		const fixed = await simulateSharedPortal(shared(4, 1, false));
		const adaptive = await simulateSharedPortal(shared(4, 1, true));
		const fixedShare = report('4 processes, fixed pacing', fixed);
		const adaptiveShare = report('4 processes, adaptive', adaptive);
		expect(adaptiveShare).toBeLessThanOrEqual(fixedShare / 2);
		expect(adaptive.accepted).toBe(200);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.15);
	});
});
