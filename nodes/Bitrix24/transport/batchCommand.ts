import type { IDataObject } from 'n8n-workflow';

/**
 * Encodes REST calls as the `"method?query"` strings the Bitrix24 `batch` method takes in `cmd`.
 *
 * The server splits each command at the first '?' and decodes the rest with PHP's query parser
 * (`parse_str`), so the query is written the way PHP's `http_build_query` writes it:
 * nested keys as `ATTACH[0][BLOCKS][1][MESSAGE]=...`, arrays with explicit indices.
 *
 * Value mapping (same as `http_build_query`, checked against php-src ext/standard/http.c):
 * - string: percent-encoded as UTF-8; everything but `A-Z a-z 0-9 - _ . ! ~ * ' ( )` is escaped,
 *   so `& = [ ] % + # ?`, newlines and astral characters survive. A lone UTF-16 surrogate
 *   (not representable in UTF-8) becomes U+FFFD, as it would in a JSON body.
 * - number: decimal string (`String(n)`: JS spells exponents `1e+21` where PHP writes `1.0E+21`;
 *   the server receives a string either way). NaN and ±Infinity are omitted (PHP has no
 *   meaningful value for them in a query either).
 * - bigint: decimal string.
 * - boolean: `true` → `1`, `false` → `0`. This is what `http_build_query` emits (not PHP's
 *   `(string) false === ''`); Bitrix24 flags are 'Y'/'N' strings, which callers pass as such.
 * - null / undefined: omitted, like `http_build_query`.
 * - empty array / empty object (or one holding only omitted values): omitted, as PHP emits
 *   nothing for them, so the server does not see the key at all. `batchEncodingProblems`
 *   reports these so a caller can send such a call as JSON instead of through `batch`.
 *
 * Brackets are written literally for readability; PHP decodes the key before parsing brackets,
 * so `%5B` would mean exactly the same thing. For the same reason a `]` inside a key cannot be
 * represented at all: see `batchEncodingProblems`.
 */

/**
 * PHP's default `max_input_nesting_level`: `parse_str` silently drops a variable with more
 * bracket levels than this. Also stops runaway recursion on cyclic input.
 */
export const MAX_BATCH_NESTING_LEVEL = 64;

// Method names are constants like `im.message.add`; anything else would rewrite the command.
const METHOD_NAME_PATTERN = /^[A-Za-z0-9_.]+$/;

// Most keys and many values need no escaping; testing is cheaper than encoding.
const NOTHING_TO_ESCAPE = /^[\w.~-]*$/;

const LONE_SURROGATE_PATTERN = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function encodeBatchCommand(method: string, params: IDataObject): string {
	return encodeCountedBatchCommand(method, params).command;
}

/**
 * The command, and how many variables PHP's `parse_str` will read from it: the server stops at
 * `max_input_vars` and drops the rest without an error, so callers check this number.
 */
export function encodeCountedBatchCommand(method: string, params: IDataObject): { command: string; variables: number } {
	if (!METHOD_NAME_PATTERN.test(method)) {
		throw new TypeError(`Not a Bitrix24 REST method name: ${JSON.stringify(method)}`);
	}
	const pairs: string[] = [];
	for (const key of Object.keys(params)) {
		appendPairs(pairs, encodeQueryComponent(key), params[key], 0);
	}
	return { command: pairs.length === 0 ? method : `${method}?${pairs.join('&')}`, variables: pairs.length };
}

function appendPairs(pairs: string[], encodedPath: string, value: unknown, nestingLevel: number): void {
	switch (typeof value) {
		case 'string':
			pairs.push(`${encodedPath}=${encodeQueryComponent(value)}`);
			return;
		case 'number':
			if (Number.isFinite(value)) {
				// '+' in '1e+21' must be escaped or PHP decodes it as a space.
				pairs.push(`${encodedPath}=${encodeQueryComponent(String(value))}`);
			}
			return;
		case 'bigint':
			pairs.push(`${encodedPath}=${String(value)}`);
			return;
		case 'boolean':
			pairs.push(`${encodedPath}=${value ? '1' : '0'}`);
			return;
		case 'object': {
			if (value === null) return;
			if (nestingLevel >= MAX_BATCH_NESTING_LEVEL) {
				throw new RangeError(
					`Batch parameter nested deeper than ${MAX_BATCH_NESTING_LEVEL} levels (or cyclic) at ${encodedPath}`,
				);
			}
			if (Array.isArray(value)) {
				for (let index = 0; index < value.length; index++) {
					appendPairs(pairs, `${encodedPath}[${index}]`, value[index], nestingLevel + 1);
				}
				return;
			}
			const record = value as Record<string, unknown>;
			for (const key of Object.keys(record)) {
				appendPairs(pairs, `${encodedPath}[${encodeQueryComponent(key)}]`, record[key], nestingLevel + 1);
			}
			return;
		}
		default:
			// undefined, functions and symbols have no query representation.
			return;
	}
}

function encodeQueryComponent(text: string): string {
	if (NOTHING_TO_ESCAPE.test(text)) return text;
	try {
		return encodeURIComponent(text);
	} catch {
		// URIError: a lone surrogate. Rare, so the regex runs only on this path.
		return encodeURIComponent(text.replace(LONE_SURROGATE_PATTERN, '\uFFFD'));
	}
}

/**
 * Lists what would not reach the server unchanged if `params` went through `batch`
 * (empty path list = safe). Each entry is `<path>: <reason>`, e.g.
 * `ATTACH[BLOCKS]: array with no values is omitted`. A caller with problems should send that call
 * on its own as JSON, where these values survive.
 *
 * Key rules come from PHP's variable registration (main/php_variables.c): in a top-level key
 * spaces and dots become '_' and '[' starts nesting; in a nested key a leading whitespace
 * character is dropped, ']' ends the key, and an empty key means "append"; NUL ends any key.
 */
export function batchEncodingProblems(params: IDataObject): string[] {
	const problems: string[] = [];
	for (const key of Object.keys(params)) {
		const keyProblem = topLevelKeyProblem(key);
		if (keyProblem !== undefined) problems.push(`${JSON.stringify(key)}: ${keyProblem}`);
		collectValueProblems(problems, key, params[key], 0);
	}
	return problems;
}

export function isBatchEncodable(params: IDataObject): boolean {
	return batchEncodingProblems(params).length === 0;
}

function topLevelKeyProblem(key: string): string | undefined {
	if (key === '') return 'empty key is dropped by PHP';
	if (/[ .[\]\0]/.test(key)) return "key contains ' ', '.', '[', ']' or NUL, which PHP rewrites";
	return undefined;
}

function nestedKeyProblem(key: string): string | undefined {
	if (key === '') return 'empty key becomes an appended index in PHP';
	if (/^\s/.test(key)) return 'PHP drops the leading whitespace of a nested key';
	if (/[\]\0]/.test(key)) return "key contains ']' or NUL, which ends the key in PHP";
	return undefined;
}

/** Returns whether `value` puts at least one pair into the query. */
function collectValueProblems(problems: string[], path: string, value: unknown, nestingLevel: number): boolean {
	switch (typeof value) {
		case 'string':
		case 'bigint':
		case 'boolean':
			return true;
		case 'number':
			if (Number.isFinite(value)) return true;
			problems.push(`${path}: ${String(value)} is omitted`);
			return false;
		case 'object':
			break;
		default:
			return false;
	}
	if (value === null) return false;
	if (nestingLevel >= MAX_BATCH_NESTING_LEVEL) {
		problems.push(`${path}: nested deeper than ${MAX_BATCH_NESTING_LEVEL} levels (or cyclic)`);
		return false;
	}
	let emitsAnything = false;
	if (Array.isArray(value)) {
		for (let index = 0; index < value.length; index++) {
			if (collectValueProblems(problems, `${path}[${index}]`, value[index], nestingLevel + 1)) emitsAnything = true;
		}
		// An empty container is what the caller wrote; one made empty by null items is reported too.
		if (!emitsAnything) problems.push(`${path}: array with no values is omitted`);
		return emitsAnything;
	}
	const record = value as Record<string, unknown>;
	for (const key of Object.keys(record)) {
		const keyProblem = nestedKeyProblem(key);
		if (keyProblem !== undefined) problems.push(`${path}[${JSON.stringify(key)}]: ${keyProblem}`);
		if (collectValueProblems(problems, `${path}[${key}]`, record[key], nestingLevel + 1)) emitsAnything = true;
	}
	if (!emitsAnything) problems.push(`${path}: object with no values is omitted`);
	return emitsAnything;
}
