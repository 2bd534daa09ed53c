import {
	AdaptiveRate,
	MAX_CUT_AT_ONCE,
	MEASURED_SHARE_MARGIN,
	MIN_RATE_SHARE,
	QUIET_BEFORE_GROWTH_MS,
	RATE_DECREASE_FACTOR,
	RATE_RECOVERY_ACCELERATION,
	REFUSAL_ECHO_INTERVALS,
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

	it('cuts once for the refusals of one overflow: requests under way, and the next ones before the others can slow down', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		rate.limitsFor(standard);
		const sentTogetherMs = clock.nowMs;
		clock.nowMs += 40;
		rate.refused(sentTogetherMs);
		const afterOneCut = rate.currentShare;
		expect(afterOneCut).toBe(RATE_DECREASE_FACTOR);
		clock.nowMs += 5;
		rate.refused(sentTogetherMs);
		// Paced at the new rate, the next requests go one interval apart; within the echo window
		// their refusals are the same overflow.
		const intervalMs = 1000 / (standard.drainPerSecond * afterOneCut);
		clock.nowMs += REFUSAL_ECHO_INTERVALS * intervalMs - 100;
		rate.refused(clock.nowMs - 40);
		expect(rate.currentShare).toBe(afterOneCut);
		// A request sent after the window and refused again is news: cut again.
		clock.nowMs += 1000;
		rate.refused(clock.nowMs - 40);
		expect(rate.currentShare).toBe(RATE_DECREASE_FACTOR ** 2);
	});

	it('keeps its share for the quiet minute, then grows back faster and faster, up to the whole rate', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		rate.limitsFor(standard);
		rate.refused(clock.nowMs - 1);
		const cut = rate.currentShare;
		const acceptEverySecondFor = (seconds: number) => {
			for (let second = 0; second < seconds; second++) {
				clock.nowMs += 1000;
				rate.accepted();
			}
		};
		acceptEverySecondFor(QUIET_BEFORE_GROWTH_MS / 1000);
		expect(rate.currentShare).toBe(cut);
		acceptEverySecondFor(3);
		const afterThreeSeconds = cut + (RATE_RECOVERY_ACCELERATION * 3 ** 2) / 2;
		expect(rate.currentShare).toBeCloseTo(afterThreeSeconds, 9);
		// The next three seconds add more than the first three.
		acceptEverySecondFor(3);
		expect(rate.currentShare).toBeLessThan(1);
		expect(rate.currentShare - afterThreeSeconds).toBeGreaterThan(afterThreeSeconds - cut);
		// A refusal while growing cuts again and restarts the quiet minute.
		rate.refused(clock.nowMs - 1);
		const cutAgain = rate.currentShare;
		acceptEverySecondFor(QUIET_BEFORE_GROWTH_MS / 1000);
		expect(rate.currentShare).toBe(cutAgain);
		// Idle time counts: after an hour without requests the whole rate is back.
		clock.nowMs += 3_600_000;
		rate.accepted();
		expect(rate.currentShare).toBe(1);
	});

	it('never goes below MIN_RATE_SHARE', () => {
		const clock = new FakeClock();
		const rate = new AdaptiveRate(clock.now);
		for (let refusal = 0; refusal < 40; refusal++) {
			clock.nowMs += 60_000;
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

	it('after a shared burst, drops at once to a little under the part of the bucket it got through', () => {
		// Two or three processes burst together into a 50-request bucket: this one got 20 through
		// in 0.2 s, while the portal could take 50 + 0.4.
		const measured = 20 / (50 + 0.2 * standard.drainPerSecond);
		expect(burstShared(20)).toBeCloseTo(measured * MEASURED_SHARE_MARGIN, 3);
	});

	it('cuts to at most MAX_CUT_AT_ONCE of its share at once, however little it got through', () => {
		expect(burstShared(2)).toBe(MAX_CUT_AT_ONCE);
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

	it('two processes: a fifth of the refusals of fixed pacing, at most 5 %, within 1.10 x the floor', async () => {
		const fixed = await simulateSharedPortal(shared(2, 2, false));
		const adaptive = await simulateSharedPortal(shared(2, 2, true));
		const fixedShare = report('2 processes, fixed pacing', fixed);
		const adaptiveShare = report('2 processes, adaptive', adaptive);
		expect(fixedShare).toBeGreaterThan(0.1);
		expect(adaptiveShare).toBeLessThanOrEqual(Math.min(0.05, fixedShare / 5));
		expect(adaptive.accepted).toBe(200);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.1);
	});

	it('four processes: a fifth of the refusals of fixed pacing, at most 5 %, within 1.15 x the floor', async () => {
		const fixed = await simulateSharedPortal(shared(4, 1, false));
		const adaptive = await simulateSharedPortal(shared(4, 1, true));
		const fixedShare = report('4 processes, fixed pacing', fixed);
		const adaptiveShare = report('4 processes, adaptive', adaptive);
		expect(adaptiveShare).toBeLessThanOrEqual(Math.min(0.05, fixedShare / 5));
		expect(adaptive.accepted).toBe(200);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.15);
	});

	it('four processes busy for six minutes: the quiet minute passes several times, refusals stay under 5 %', async () => {
		const adaptive = await simulateSharedPortal({ ...shared(4, 1, true), requestsPerExecution: 200 });
		const adaptiveShare = report('4 processes for six minutes, adaptive', adaptive);
		expect(adaptiveShare).toBeLessThanOrEqual(0.05);
		expect(adaptive.accepted).toBe(800);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.1);
	});

	it('when the others finish, the last process takes over the whole rate', async () => {
		// Four workers with 40, 80, 120 and 160 requests: the last one is alone for a while.
		const adaptive = await simulateSharedPortal({ ...shared(4, 1, true), requestsPerProcess: [40, 80, 120, 160] });
		const adaptiveShare = report('4 processes ending one after another, adaptive', adaptive);
		expect(adaptiveShare).toBeLessThanOrEqual(0.05);
		expect(adaptive.accepted).toBe(400);
		expect(adaptive.finalShares[3]).toBe(1);
		expect(adaptive.wallMs).toBeLessThanOrEqual(adaptive.floorMs * 1.2);
	});
});
