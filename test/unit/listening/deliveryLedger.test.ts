import { DeliveryLedger } from '../../../nodes/shared/listening/deliveryLedger';
import { DialogLanes } from '../../../nodes/shared/listening/dialogLanes';

describe('DeliveryLedger', () => {
	it('confirms nothing before the source gave an offset, then only below the oldest unfinished event', () => {
		const ledger = new DeliveryLedger();
		expect(ledger.offsetToConfirm()).toBeUndefined();
		for (const eventId of [10, 11, 12]) expect(ledger.take(eventId)).toBe(true);
		ledger.noteNextOffset(13);
		expect(ledger.offsetToConfirm()).toBe(10);
		ledger.finish(11);
		expect(ledger.offsetToConfirm()).toBe(10);
		ledger.finish(10);
		expect(ledger.offsetToConfirm()).toBe(12);
		ledger.finish(12);
		expect(ledger.offsetToConfirm()).toBe(13);
	});

	it('drops a second copy of an event it took, until that event was confirmed', () => {
		const ledger = new DeliveryLedger(5);
		expect(ledger.take(7)).toBe(true);
		expect(ledger.take(7)).toBe(false);
		ledger.finish(7);
		expect(ledger.take(7)).toBe(false);
		ledger.confirmed(8);
		expect(ledger.take(7)).toBe(true);
	});

	it('never moves back to an older nextOffset', () => {
		const ledger = new DeliveryLedger(20);
		ledger.noteNextOffset(15);
		ledger.noteNextOffset(undefined);
		expect(ledger.offsetToConfirm()).toBe(20);
	});
});

describe('DialogLanes', () => {
	it('runs one dialog in order and dialogs side by side, at most maxParallel at once', async () => {
		const started: string[] = [];
		const finishers = new Map<string, () => void>();
		const lanes = new DialogLanes<string>(async (entry) => {
			started.push(entry);
			await new Promise<void>((resolve) => finishers.set(entry, resolve));
		}, 2);
		lanes.add('a', 'a1');
		lanes.add('a', 'a2');
		lanes.add('b', 'b1');
		lanes.add('c', 'c1');
		expect(started).toEqual(['a1', 'b1']);
		finishers.get('a1')?.();
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual(['a1', 'b1', 'c1']);
		finishers.get('b1')?.();
		await new Promise((resolve) => setImmediate(resolve));
		expect(started).toEqual(['a1', 'b1', 'c1', 'a2']);
		finishers.get('c1')?.();
		finishers.get('a2')?.();
		await lanes.idle();
		expect(lanes.busy).toBe(false);
	});

	it('starts nothing new once stopped', async () => {
		const started: string[] = [];
		let finishFirst = () => {};
		const lanes = new DialogLanes<string>(async (entry) => {
			started.push(entry);
			if (entry === 'a1') await new Promise<void>((resolve) => (finishFirst = resolve));
		}, 5);
		lanes.add('a', 'a1');
		lanes.add('a', 'a2');
		lanes.stop();
		finishFirst();
		await lanes.idle();
		expect(started).toEqual(['a1']);
	});
});
