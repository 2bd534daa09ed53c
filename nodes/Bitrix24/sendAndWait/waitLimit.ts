/**
 * Options → Limit Wait Time, read as n8n's send-and-wait nodes read it, with one difference: a
 * limit that is already over (a past date, a zero or negative interval) is refused before the
 * question is sent, instead of posting a question nobody can answer any more.
 */
import { WAIT_INDEFINITELY } from 'n8n-workflow';
import type { IDataObject } from 'n8n-workflow';

const UNIT_MS: Record<string, number> = { minutes: 60_000, hours: 3_600_000, days: 86_400_000 };

/** Refuses a bad limit: names the field and says what is wrong (throws). */
export type RejectLimit = (field: string, problem: string) => never;

/** When the workflow goes on without an answer; n8n's WAIT_INDEFINITELY when there is no limit. */
export function waitTillFrom(limit: IDataObject | undefined, reject: RejectLimit, nowMs = Date.now()): Date {
	if (!limit || Object.keys(limit).length === 0) return WAIT_INDEFINITELY;
	const limitType = limit.limitType ?? 'afterTimeInterval';
	if (limitType === 'afterTimeInterval') {
		const field = 'Limit Wait Time → Amount';
		const amount = typeof limit.resumeAmount === 'string' ? Number(limit.resumeAmount) : limit.resumeAmount;
		if (typeof amount !== 'number' || !Number.isFinite(amount) || amount <= 0) {
			reject(field, `"${String(limit.resumeAmount)}" is not a time to wait; give a number above 0`);
		}
		const unitMs = UNIT_MS[String(limit.resumeUnit ?? 'hours')];
		if (unitMs === undefined) {
			reject('Limit Wait Time → Unit', `"${String(limit.resumeUnit)}" is not minutes, hours or days`);
		}
		return new Date(nowMs + amount * unitMs);
	}
	if (limitType === 'atSpecifiedTime') {
		const field = 'Limit Wait Time → Max Date and Time';
		const raw = limit.maxDateAndTime;
		const at = raw instanceof Date ? raw : new Date(String(raw ?? ''));
		if (raw === undefined || raw === '' || Number.isNaN(at.getTime())) {
			reject(field, `"${String(raw ?? '')}" is not a date and time`);
		}
		if (at.getTime() <= nowMs) {
			reject(field, `${at.toISOString()} is in the past; nobody could answer before it`);
		}
		return at;
	}
	return reject('Limit Wait Time → Limit Type', `"${String(limitType)}" is not a limit type`);
}
