import { RATE_DECREASE_FACTOR } from '../../../nodes/Bitrix24/transport/adaptiveRate';
import { BUCKET_SAFETY_MARGIN_MS, RATE_PLANS } from '../../../nodes/Bitrix24/transport/leakyBucket';
import { BOT_RATE_LIMITS, PortalPacer, pacerForPortal } from '../../../nodes/Bitrix24/transport/pacer';

class FakeClock {
	constructor(public nowMs = 1_700_000_000_000) {}

	readonly now = (): number => this.nowMs;
}

/** A slot with no limit on the wait, for a portal method and for a chat bot method. */
const reserve = (pacer: PortalPacer, method = 'batch'): number => pacer.reserveWithin(method, Infinity)!;
const BOT_METHOD = 'imbot.v2.Chat.Message.send';

describe('pacerForPortal', () => {
	beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
	afterEach(() => jest.useRealTimers());

	it('gives every caller of one portal the same pacer, and other portals their own', () => {
		const portal = 'https://shared-a.bitrix24.example';
		const firstCaller = pacerForPortal(portal, RATE_PLANS.standard);
		const secondCaller = pacerForPortal(portal, RATE_PLANS.standard);
		expect(secondCaller).toBe(firstCaller);

		// Two workflows interleave; together they get one burst, not one each.
		const waits: number[] = [];
		for (let request = 0; request < 60; request++) {
			waits.push(reserve(request % 2 === 0 ? firstCaller : secondCaller));
		}
		expect(waits.filter((wait) => wait === 0)).toHaveLength(49);
		expect(waits[49]).toBe(BUCKET_SAFETY_MARGIN_MS);
		expect(waits[50]).toBe(500 + BUCKET_SAFETY_MARGIN_MS);
		expect(waits[59]).toBe(10 * 500 + BUCKET_SAFETY_MARGIN_MS);

		const otherPortal = pacerForPortal('https://shared-b.bitrix24.example', RATE_PLANS.standard);
		expect(otherPortal).not.toBe(firstCaller);
		expect(reserve(otherPortal)).toBe(0);
	});

	it('switches the shared pacer to new limits when the plan changes, keeping its fill level', () => {
		const portal = 'https://plan-change.bitrix24.example';
		const pacer = pacerForPortal(portal, RATE_PLANS.standard);
		for (let request = 0; request < 50; request++) reserve(pacer);
		expect(reserve(pacer)).toBeGreaterThan(0); // standard bucket is full (51 booked)

		jest.advanceTimersByTime(1000); // level 51 - 2 = 49
		const upgraded = pacerForPortal(portal, RATE_PLANS.enterprise);
		expect(upgraded).toBe(pacer);
		// 49 in a bucket of 250: 201 more fit; those that would land within the margin of the
		// cap wait for it, the rest go at once; then one slot per 200 ms.
		const waits = Array.from({ length: 202 }, () => reserve(upgraded));
		expect(waits.slice(0, 199).every((wait) => wait === 0)).toBe(true);
		expect(waits.slice(199)).toEqual([
			BUCKET_SAFETY_MARGIN_MS - 200,
			BUCKET_SAFETY_MARGIN_MS,
			BUCKET_SAFETY_MARGIN_MS + 200,
		]);
	});
});

describe('PortalPacer', () => {
	it('paces chat bot calls under the bots lane as well as the portal bucket, and only them', () => {
		const clock = new FakeClock();
		const pacer = new PortalPacer(RATE_PLANS.standard, clock.now, 0);
		const botIntervalMs = 1000 / BOT_RATE_LIMITS.drainPerSecond;
		// Two at once, then one every half second.
		const botWaits = Array.from({ length: 5 }, () => reserve(pacer, BOT_METHOD));
		expect(botWaits).toEqual([0, 0, botIntervalMs, 2 * botIntervalMs, 3 * botIntervalMs]);
		// Other methods do not wait for the bots' lane...
		expect(reserve(pacer, 'im.message.add')).toBe(0);
		// ...but every call counts against the portal's bucket: 6 of its 50 are booked.
		const portalWaits = Array.from({ length: 44 }, () => reserve(pacer, 'im.message.add'));
		expect(portalWaits.every((wait) => wait === 0)).toBe(true);
		expect(reserve(pacer, 'im.message.add')).toBe(1000 / RATE_PLANS.standard.drainPerSecond);
	});

	it('a chat bot call that cannot go within the wait allowed reserves a slot in neither limit', () => {
		const clock = new FakeClock();
		const pacer = new PortalPacer({ capacity: 3, drainPerSecond: 1 }, clock.now, 0);
		expect(reserve(pacer, BOT_METHOD)).toBe(0);
		expect(reserve(pacer, BOT_METHOD)).toBe(0);
		// The bots' lane is full for half a second: not within 0 ms.
		expect(pacer.reserveWithin(BOT_METHOD, 0)).toBeUndefined();
		// The portal's bucket still has its third unit.
		expect(pacer.reserveWithin('im.message.add', 0)).toBe(0);
	});

	it('after a refusal paces the next request at the reduced share, from a full bucket', () => {
		const clock = new FakeClock();
		const pacer = new PortalPacer(RATE_PLANS.standard, clock.now, 0);
		expect(reserve(pacer)).toBe(0);
		pacer.refused('batch', clock.nowMs);
		expect(pacer.currentShare).toBe(RATE_DECREASE_FACTOR);
		expect(reserve(pacer)).toBe(Math.ceil(1000 / (RATE_PLANS.standard.drainPerSecond * RATE_DECREASE_FACTOR)));
	});

	it('a refused chat bot call fills the bots lane too', () => {
		const clock = new FakeClock();
		const pacer = new PortalPacer(RATE_PLANS.enterprise, clock.now, 0);
		expect(reserve(pacer, BOT_METHOD)).toBe(0);
		pacer.refused(BOT_METHOD, clock.nowMs);
		// The portal's bucket lets the next call go after one interval at the reduced share (236 ms);
		// the bots' lane, full, after one of its own.
		expect(reserve(pacer, BOT_METHOD)).toBe(1000 / BOT_RATE_LIMITS.drainPerSecond);
	});
});
