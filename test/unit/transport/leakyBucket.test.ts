import fc from 'fast-check';

import {
	BUCKET_SAFETY_MARGIN_MS,
	LeakyBucket,
	RATE_PLANS,
	type RateLimits,
} from '../../../nodes/Bitrix24/transport/leakyBucket';

/**
 * The Bitrix24 side, written from the documented rule and independent of the client's
 * algorithm: +1 per request on arrival, continuous drain, a request that would take the level
 * over capacity is refused (and, being refused, does not count).
 */
class ServerBucket {
	private level = 0;

	private lastMs = 0;

	highestLevel = 0;

	refused = 0;

	constructor(private readonly limits: RateLimits) {}

	/** Preload traffic from other apps on the same portal and IP. */
	fill(level: number, atMs: number): void {
		this.level = level;
		this.lastMs = atMs;
	}

	receive(atMs: number): 'ok' | 'QUERY_LIMIT_EXCEEDED' {
		if (atMs < this.lastMs) throw new Error(`requests must arrive in time order (${atMs} < ${this.lastMs})`);
		this.level = Math.max(0, this.level - ((atMs - this.lastMs) * this.limits.drainPerSecond) / 1000);
		this.lastMs = atMs;
		if (this.level + 1 > this.limits.capacity) {
			this.refused++;
			return 'QUERY_LIMIT_EXCEEDED';
		}
		this.level += 1;
		this.highestLevel = Math.max(this.highestLevel, this.level);
		return 'ok';
	}
}

class FakeClock {
	constructor(public nowMs = 1_700_000_000_000) {}

	readonly now = (): number => this.nowMs;
}

/** The theoretical minimum time for n requests: the first `capacity` go at once. */
function floorMs(requests: number, limits: RateLimits): number {
	return (Math.max(0, requests - limits.capacity) / limits.drainPerSecond) * 1000;
}

describe.each([
	['standard', RATE_PLANS.standard],
	['enterprise', RATE_PLANS.enterprise],
])('LeakyBucket on the %s plan', (_plan, limits) => {
	it('one caller sending 10,000 requests in turn: never over capacity, within 1% of the floor', () => {
		const clock = new FakeClock();
		const startMs = clock.nowMs;
		const bucket = new LeakyBucket(limits, clock.now);
		const server = new ServerBucket(limits);
		for (let request = 0; request < 10_000; request++) {
			clock.nowMs += bucket.reserve();
			expect(server.receive(clock.nowMs)).toBe('ok');
		}
		const elapsedMs = clock.nowMs - startMs;
		expect(server.refused).toBe(0);
		expect(server.highestLevel).toBeLessThanOrEqual(limits.capacity);
		// The whole bucket is used, less the headroom the time margin leaves.
		const headroom = (BUCKET_SAFETY_MARGIN_MS * limits.drainPerSecond) / 1000;
		expect(server.highestLevel).toBeCloseTo(limits.capacity - headroom, 6);
		expect(elapsedMs).toBeGreaterThanOrEqual(floorMs(10_000, limits));
		expect(elapsedMs).toBeLessThanOrEqual(floorMs(10_000, limits) * 1.01);
	});

	it('10,000 callers reserving at the same moment get staggered slots that fit the server', () => {
		const clock = new FakeClock();
		const bucket = new LeakyBucket(limits, clock.now);
		const waits = Array.from({ length: 10_000 }, () => bucket.reserve());
		// The burst goes at once except the requests that would land within the margin of the cap,
		// then slots come one drain interval apart, in reservation order.
		const drainIntervalMs = 1000 / limits.drainPerSecond;
		const immediate = limits.capacity - Math.ceil(BUCKET_SAFETY_MARGIN_MS / drainIntervalMs);
		expect(waits.slice(0, immediate).every((wait) => wait === 0)).toBe(true);
		expect(waits[immediate]).toBeGreaterThan(0);
		expect(waits[limits.capacity - 1]).toBe(BUCKET_SAFETY_MARGIN_MS);
		expect(waits[limits.capacity]).toBe(Math.ceil(drainIntervalMs + BUCKET_SAFETY_MARGIN_MS));
		for (let index = 1; index < waits.length; index++) expect(waits[index]).toBeGreaterThanOrEqual(waits[index - 1]);

		const server = new ServerBucket(limits);
		for (const wait of waits) expect(server.receive(clock.nowMs + wait)).toBe('ok');
		const lastSendMs = waits[waits.length - 1];
		expect(lastSendMs).toBeGreaterThanOrEqual(floorMs(10_000, limits));
		expect(lastSendMs).toBeLessThanOrEqual(floorMs(10_000, limits) * 1.01);
	});
});

describe('LeakyBucket benchmark target', () => {
	it('200 requests on the standard plan take at most 1.1 x the 75 s floor', () => {
		const clock = new FakeClock();
		const startMs = clock.nowMs;
		const bucket = new LeakyBucket(RATE_PLANS.standard, clock.now);
		for (let request = 0; request < 200; request++) clock.nowMs += bucket.reserve();
		const elapsedMs = clock.nowMs - startMs;
		console.log(`200 requests: ${elapsedMs} ms (floor 75000 ms)`);
		expect(elapsedMs).toBeGreaterThanOrEqual(75_000);
		expect(elapsedMs).toBeLessThanOrEqual(75_000 * 1.1);
	});
});

describe('LeakyBucket under irregular use', () => {
	it('never overfills the server whatever the pauses between reservations and however late sends go out', () => {
		const step = fc.record({
			// Mostly bursts and short gaps (about one drain interval on average), sometimes a long idle.
			pauseMs: fc.oneof(
				{ weight: 20, arbitrary: fc.constant(0) },
				{ weight: 5, arbitrary: fc.integer({ min: 0, max: 1000 }) },
				{ weight: 1, arbitrary: fc.integer({ min: 0, max: 20_000 }) },
			),
			// Sends go out later than their slot (busy event loop, connection set-up), by less than
			// the margin: what the margin is designed to absorb.
			lateByMs: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: BUCKET_SAFETY_MARGIN_MS - 1 })),
		});
		fc.assert(
			fc.property(
				fc.constantFrom(RATE_PLANS.standard, RATE_PLANS.enterprise),
				fc.array(step, { minLength: 60, maxLength: 600, size: 'max' }),
				(limits, steps) => {
					const clock = new FakeClock();
					const bucket = new LeakyBucket(limits, clock.now);
					const sendTimes: number[] = [];
					for (const { pauseMs, lateByMs } of steps) {
						clock.nowMs += pauseMs;
						sendTimes.push(clock.nowMs + bucket.reserve() + lateByMs);
					}
					const server = new ServerBucket(limits);
					for (const atMs of sendTimes.sort((a, b) => a - b)) expect(server.receive(atMs)).toBe('ok');
				},
			),
			{ numRuns: 300 },
		);
	});

	it('absorbs a slow start (every burst request opens a connection, paced ones reuse them)', () => {
		const limits = RATE_PLANS.standard;
		const handshakeMs = 200;
		const sendAll = (safetyMarginMs: number): ServerBucket => {
			const clock = new FakeClock();
			const bucket = new LeakyBucket(limits, clock.now, safetyMarginMs);
			const server = new ServerBucket(limits);
			const sendTimes = Array.from(
				{ length: 120 },
				(_unused, index) => clock.nowMs + bucket.reserve() + (index < limits.capacity ? handshakeMs : 0),
			);
			for (const atMs of sendTimes.sort((a, b) => a - b)) server.receive(atMs);
			return server;
		};
		expect(sendAll(0).refused).toBeGreaterThan(0); // the failure the margin exists for
		expect(sendAll(BUCKET_SAFETY_MARGIN_MS).refused).toBe(0);
	});

	it('after a 503 (another app filled the bucket) it backs off a full interval and then stays under', () => {
		const limits = RATE_PLANS.standard;
		const clock = new FakeClock();
		const bucket = new LeakyBucket(limits, clock.now);
		const server = new ServerBucket(limits);
		server.fill(limits.capacity, clock.nowMs);

		expect(bucket.reserve()).toBe(0); // the client cannot know about the other app
		expect(server.receive(clock.nowMs)).toBe('QUERY_LIMIT_EXCEEDED');
		bucket.penalize();

		const wait = bucket.reserve();
		expect(wait).toBe(500 + BUCKET_SAFETY_MARGIN_MS);
		clock.nowMs += wait;
		expect(server.receive(clock.nowMs)).toBe('ok');
		for (let request = 0; request < 100; request++) {
			clock.nowMs += bucket.reserve();
			expect(server.receive(clock.nowMs)).toBe('ok');
		}
		expect(server.refused).toBe(1);
	});

	it('penalize does not move slots already handed out further away than needed', () => {
		const clock = new FakeClock();
		const bucket = new LeakyBucket(RATE_PLANS.standard, clock.now);
		for (let request = 0; request < 120; request++) bucket.reserve(); // slots booked ~35 s ahead
		bucket.penalize(); // "full now" is less than what is already booked
		expect(bucket.reserve()).toBe(71 * 500 + BUCKET_SAFETY_MARGIN_MS);
	});

	it('a wall clock set back does not freeze the bucket', () => {
		const clock = new FakeClock();
		const bucket = new LeakyBucket(RATE_PLANS.standard, clock.now);
		for (let request = 0; request < 50; request++) bucket.reserve();
		clock.nowMs -= 3_600_000; // NTP correction of one hour
		expect(bucket.reserve()).toBe(500 + BUCKET_SAFETY_MARGIN_MS);
	});

	it('rejects limits that make no sense', () => {
		expect(() => new LeakyBucket({ capacity: 0, drainPerSecond: 2 })).toThrow(RangeError);
		expect(() => new LeakyBucket({ capacity: 50, drainPerSecond: 0 })).toThrow(RangeError);
		expect(() => new LeakyBucket({ capacity: Number.NaN, drainPerSecond: 2 })).toThrow(RangeError);
	});
});
