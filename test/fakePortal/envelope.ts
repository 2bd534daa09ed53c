/** The shapes Bitrix24 answers with: the success envelope with its `time` block, and errors. */

export interface TimeBlock {
	start: number;
	finish: number;
	duration: number;
	processing: number;
	date_start: string;
	date_finish: string;
	operating_reset_at: number;
	operating: number;
}

/** A method's failure as Bitrix24 reports it. */
export class RestError {
	constructor(
		readonly status: number,
		readonly code: string,
		readonly description: string,
		/** OPERATION_TIME_LIMIT also carries a time block telling when to retry. */
		readonly operatingResetAtMs?: number,
	) {}

	body(startedAtMs: number): Record<string, unknown> {
		const body: Record<string, unknown> = { error: this.code, error_description: this.description };
		if (this.operatingResetAtMs !== undefined) {
			body.time = { ...timeBlock(startedAtMs), operating_reset_at: this.operatingResetAtMs / 1000 };
		}
		return body;
	}
}

/** Bitrix24 prints dates as ISO 8601 with a numeric offset and no milliseconds. */
function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

/** The time block of a call that started at startedAtMs and ends now. */
export function timeBlock(startedAtMs: number, operatingResetAtMs?: number): TimeBlock {
	const finishedAtMs = Date.now();
	const duration = (finishedAtMs - startedAtMs) / 1000;
	return {
		start: startedAtMs / 1000,
		finish: finishedAtMs / 1000,
		duration,
		processing: duration,
		date_start: isoSeconds(startedAtMs),
		date_finish: isoSeconds(finishedAtMs),
		// Operating time is not simulated: usage is 0 and the window resets 10 minutes ahead.
		operating_reset_at:
			operatingResetAtMs !== undefined ? operatingResetAtMs / 1000 : Math.floor(startedAtMs / 1000) + 600,
		operating: 0,
	};
}

/** True for a JS value that PHP would see as an array (object or array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null;
}

/**
 * json_encode of a PHP array given as ordered entries: a list (keys 0..n-1 in order) becomes a JSON
 * array, anything else an object; an empty PHP array is `[]`, which is what Bitrix24 sends for an
 * empty result_error.
 */
export function phpArrayToJson(entries: Array<[string, unknown]>): unknown {
	const isList = entries.every(([key], position) => key === String(position));
	if (isList) return entries.map(([, value]) => value);
	const object: Record<string, unknown> = {};
	for (const [key, value] of entries) {
		Object.defineProperty(object, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	}
	return object;
}
