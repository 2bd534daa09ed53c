import type { IDataObject } from 'n8n-workflow';

import { LeakyBucket } from '../../../nodes/Bitrix24/transport/leakyBucket';
import { NOT_RUN, readBatchAnswer } from '../../../nodes/Bitrix24/transport/batchAnswer';
import { batchCommandFor, nextRequestUnit } from '../../../nodes/Bitrix24/transport/requestUnit';
import { retryDelayMs } from '../../../nodes/Bitrix24/transport/retryPolicy';
import { retryAfterMsOf } from '../../../nodes/Bitrix24/transport/answer';

describe('batchCommandFor', () => {
	it.each(['$result[c0]', 'x $TIME[c1] y', '$error[', '$Next[a]', '$total[0]'])('sends %s alone', (text) => {
		expect(batchCommandFor('im.message.add', { MESSAGE: text })).toBeUndefined();
		expect(batchCommandFor('im.message.add', { MESSAGE: 'ok', ATTACH: [{ MESSAGE: text }] })).toBeUndefined();
	});

	it.each(['$result', 'costs $5 [approx]', '$results[c0]', 'result[c0]'])('keeps %s in the batch', (text) => {
		expect(batchCommandFor('im.message.add', { MESSAGE: text })).toMatch(/^im\.message\.add\?MESSAGE=/);
	});

	it('sends structures over 900 query variables as JSON text', () => {
		const grid = Array.from({ length: 400 }, (_, index) => ({
			NAME: `n${index}`,
			VALUE: `v${index}`,
			DISPLAY: 'LINE',
		}));
		const command = batchCommandFor('im.message.add', { MESSAGE: 'x', ATTACH: [{ GRID: grid }] });
		expect(command).toBe(`im.message.add?MESSAGE=x&ATTACH=${encodeURIComponent(JSON.stringify([{ GRID: grid }]))}`);
	});

	it('sends a command alone when even the JSON form has too many variables', () => {
		const params = Object.fromEntries(Array.from({ length: 901 }, (_, index) => [`P${index}`, 'x']));
		expect(batchCommandFor('im.message.add', params)).toBeUndefined();
	});
});

describe('nextRequestUnit', () => {
	const commands = ['a', 'b', '$result[c0]', 'c', 'd', 'e'].map((text, itemIndex) => ({
		itemIndex,
		params: { MESSAGE: text },
	}));

	it('batches up to a command that must go alone, with halt=1', () => {
		const unit = nextRequestUnit('im.message.add', commands, 0, true);
		expect(unit.method).toBe('batch');
		expect(unit.positions).toEqual([0, 1]);
		expect(unit.params).toMatchObject({ halt: 1 });
	});

	it('sends that command alone, then batches again', () => {
		expect(nextRequestUnit('im.message.add', commands, 2, true)).toMatchObject({
			method: 'im.message.add',
			positions: [2],
		});
		expect(nextRequestUnit('im.message.add', commands, 3, true)).toMatchObject({
			method: 'batch',
			positions: [3, 4, 5],
		});
	});
});

describe('readBatchAnswer', () => {
	const ok = (result: IDataObject) => ({ ok: true as const, result, body: { result } });

	it('only commands after a reported error are known not to have run', () => {
		const answers = readBatchAnswer(
			ok({ result: { c0: 1 }, result_error: { c1: { error: 'USER_NOT_FOUND', error_description: 'User not found' } } }),
			['c0', 'c1', 'c2'],
		);
		expect(answers.map((answer) => (answer === NOT_RUN ? NOT_RUN : answer.ok))).toEqual([true, false, NOT_RUN]);
	});

	it('any other missing entry is an uncertain delivery', () => {
		const answers = readBatchAnswer(ok({ result: { c0: 1 }, result_error: [] }), ['c0', 'c1']);
		expect(answers[1]).toMatchObject({ ok: false, failure: { verdict: 'ambiguous', deliveryUnknown: true } });
	});

	it('a refused command takes operating_reset_at from its own result_time entry', () => {
		const answers = readBatchAnswer(
			ok({
				result: {},
				result_error: { c0: { error: 'OPERATION_TIME_LIMIT', error_description: 'blocked' } },
				result_time: { c0: { operating_reset_at: 1234 } },
			}),
			['c0'],
		);
		expect(answers[0]).toMatchObject({
			ok: false,
			failure: { verdict: 'retry-operation-limit', operatingResetAt: 1234 },
		});
	});

	it('INTERNAL_SERVER_ERROR inside a batch is uncertain, as it is alone', () => {
		const answers = readBatchAnswer(ok({ result: {}, result_error: { c0: { error: 'INTERNAL_SERVER_ERROR' } } }), [
			'c0',
		]);
		expect(answers[0]).toMatchObject({ ok: false, failure: { httpStatus: 500, deliveryUnknown: true } });
	});
});

describe('Retry-After', () => {
	it('reads seconds and HTTP dates', () => {
		expect(retryAfterMsOf('3')).toBe(3000);
		expect(retryAfterMsOf(new Date(10_000).toUTCString(), 4000)).toBe(6000);
		expect(retryAfterMsOf(undefined)).toBeUndefined();
	});

	it('is never undercut by the policy, and is clamped to the 10-minute window', () => {
		expect(retryDelayMs(0, 'retry-rate-limit', { nowMs: 0, retryAfterMs: 4000 })).toBe(4000);
		expect(retryDelayMs(0, 'retry-rate-limit', { nowMs: 0, retryAfterMs: 100 })).toBe(500);
		expect(retryDelayMs(0, 'retry-operation-limit', { nowMs: 0, retryAfterMs: 3_600_000 })).toBe(600_000);
	});
});

describe('LeakyBucket.reserveWithin (pacing counts against Max Retry Wait)', () => {
	it('reserves only a slot within the wait allowed, and reserves nothing otherwise', () => {
		let nowMs = 0;
		const bucket = new LeakyBucket({ capacity: 2, drainPerSecond: 1 }, () => nowMs, 0);
		expect(bucket.reserveWithin(0)).toBe(0);
		expect(bucket.reserveWithin(0)).toBe(0);
		// The next slot is 1 s away: not within 0.5 s, and refusing it does not move later slots.
		expect(bucket.reserveWithin(500)).toBeUndefined();
		expect(bucket.reserveWithin(1000)).toBe(1000);
		expect(bucket.reserveWithin(Number.POSITIVE_INFINITY)).toBe(2000);
		nowMs = 10_000;
		expect(bucket.reserveWithin(0)).toBe(0);
	});
});
