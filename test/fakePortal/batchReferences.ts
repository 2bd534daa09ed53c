/**
 * Bitrix24's batch reference substitution (CRestUtil::processBatchElement in the rest module).
 *
 * After a command's query is decoded, every key and every string value goes through it:
 * `$result`, `$time`, `$error`, `$next` or `$total` (any case) followed by `[key]…` segments, up
 * to the next whitespace, is replaced by data from the earlier commands of the same batch. A value
 * that is exactly such a reference becomes the data itself (a number, an array); inside text the
 * data is spliced in and the rest of the match (up to the whitespace) disappears. There is no
 * escape syntax, which is why a client must never put user text with such a pattern in a batch.
 */

/** What earlier commands produced, by section, each keyed by command key. */
export interface BatchSoFar {
	result: Record<string, unknown>;
	time: Record<string, unknown>;
	error: Record<string, unknown>;
	next: Record<string, unknown>;
	total: Record<string, unknown>;
}

export function emptyBatchSoFar(): BatchSoFar {
	return { result: {}, time: {}, error: {}, next: {}, total: {} };
}

const REFERENCE = /\$(result|time|error|next|total)(\S*)/gi;
const PATH_SEGMENT = /\[([^\]]+)\]/g;

/** PHP's string conversion of a spliced value: arrays print as "Array", null and false as ''. */
function phpString(value: unknown): string {
	if (value === null || value === undefined || value === false) return '';
	if (value === true) return '1';
	if (typeof value === 'object') return 'Array';
	return String(value);
}

function lookUp(soFar: BatchSoFar, section: string, path: string): unknown {
	let data: unknown = soFar[section.toLowerCase() as keyof BatchSoFar];
	for (const [, key] of path.matchAll(PATH_SEGMENT)) {
		if (data === null || typeof data !== 'object' || !(key in data)) break;
		data = (data as Record<string, unknown>)[key];
	}
	return data;
}

/** One decoded key or value, after substitution (may become a number or an array). */
export function substituteElement(text: string, soFar: BatchSoFar): unknown {
	let output: unknown = text;
	for (const match of text.matchAll(REFERENCE)) {
		const [whole, section, path] = match;
		// Without a [..] segment the server leaves the text alone.
		if (!/\[[^\]]+\]/.test(path)) continue;
		const data = lookUp(soFar, section, path);
		if (whole === text) return data;
		output = String(output).split(whole).join(phpString(data));
	}
	return output;
}

/** Every key and value of a decoded command, recursively, as processBatchStructure does. */
export function substituteReferences(params: Record<string, unknown>, soFar: BatchSoFar): Record<string, unknown> {
	const output: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(params)) {
		const newKey = phpString(substituteElement(key, soFar));
		const newValue =
			value !== null && typeof value === 'object'
				? substituteReferences(value as Record<string, unknown>, soFar)
				: typeof value === 'string'
					? substituteElement(value, soFar)
					: value;
		Object.defineProperty(output, newKey, { value: newValue, enumerable: true, writable: true, configurable: true });
	}
	// A decoded PHP list stays a list.
	return Array.isArray(params) ? (Object.values(output) as unknown as Record<string, unknown>) : output;
}
