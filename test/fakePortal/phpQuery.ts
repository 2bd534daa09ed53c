/**
 * An independent re-implementation of PHP's `parse_str()` (php-src main/php_variables.c:
 * php_default_treat_data + php_register_variable_ex, PHP 8.3+), because Bitrix24 decodes
 * form bodies, query strings and batch sub-commands exactly this way. It is written from
 * PHP's algorithm, not from any encoder, so an encoder can be property-tested against it.
 *
 * Faithful details (each one is a real PHP behaviour):
 * - pairs are split on '&'; empty pairs are skipped (php_strtok_r); a raw NUL byte ends the input;
 * - the name is the part before the FIRST '='; a pair without '=' has the value '';
 * - names and values are url-decoded: '+' is a space, '%XX' (two hex digits) is a byte,
 *   a malformed '%' stays literal; the decoded name is a C string, so '%00' truncates it;
 * - leading spaces of the name are dropped; in the base name (before the first '[')
 *   ' ' and '.' become '_'; an empty base name drops the pair;
 * - `a[b][c]=v` nests; `a[]=v` (or `a[ ]`, one whitespace) appends at the next integer index;
 *   text after a ']' that is not '[' is ignored (`a[b]x=1` is `a[b]=1`);
 * - an unterminated '[' at the first level turns the name into a plain one with '[', ' ', '.'
 *   replaced by '_' (`a[b.c` is `a_b_c`); deeper it ends the nesting (`a[b][c` is `a[b]`);
 * - a key that is a canonical decimal integer within 64-bit range ('0', '12', '-3', not '01',
 *   '-0', '+1') is an integer key; it drives the next append index like PHP arrays do
 *   (PHP 8.3 rule: after a[-5], a[] lands at -4); appending after PHP_INT_MAX fails silently;
 * - a later scalar overwrites an earlier array and vice versa, keeping the key's position;
 * - more than `maxInputNestingLevel` (64) levels deletes the whole top-level variable;
 * - at most `maxInputVars` pairs are read. PHP's default is 1000, but Bitrix24 requires
 *   max_input_vars >= 10000 on its servers, so 10000 is the default here;
 * - mangling that makes a name start with '__Host-' / '__Secure-' drops it (PHP 8.0.24+).
 *
 * PHP strings are bytes; here they are decoded as UTF-8 (invalid sequences become U+FFFD).
 */

/** A PHP array keeps insertion order for every key, integer or not. */
export type PhpValue = string | PhpArrayMap;
export type PhpArrayMap = Map<string, PhpValue>;

export interface PhpQueryOptions {
	maxInputVars?: number;
	maxInputNestingLevel?: number;
}

const PHP_INT_MAX = 9223372036854775807n;
const PHP_INT_MIN = -9223372036854775808n;

const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

/** Next free integer index per PHP array (zend HashTable nNextFreeElement). */
const nextFreeIndex = new WeakMap<PhpArrayMap, bigint>();

function isHexDigit(byte: number): boolean {
	return (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x46) || (byte >= 0x61 && byte <= 0x66);
}

function hexValue(byte: number): number {
	if (byte <= 0x39) return byte - 0x30;
	if (byte <= 0x46) return byte - 0x41 + 10;
	return byte - 0x61 + 10;
}

/** php_url_decode on a byte range. */
function urlDecodeBytes(bytes: Uint8Array, start: number, end: number): Uint8Array {
	const out = new Uint8Array(end - start);
	let length = 0;
	for (let i = start; i < end; i++) {
		const byte = bytes[i];
		if (byte === 0x2b) {
			out[length++] = 0x20;
		} else if (byte === 0x25 && i + 2 < end && isHexDigit(bytes[i + 1]) && isHexDigit(bytes[i + 2])) {
			out[length++] = hexValue(bytes[i + 1]) * 16 + hexValue(bytes[i + 2]);
			i += 2;
		} else {
			out[length++] = byte;
		}
	}
	return out.subarray(0, length);
}

/** C isspace() in the "C" locale. */
function isCSpace(char: string | undefined): boolean {
	return char === ' ' || char === '\t' || char === '\n' || char === '\v' || char === '\f' || char === '\r';
}

/** ZEND_HANDLE_NUMERIC_STR: the integer a key turns into, or undefined for a string key. */
export function phpIntegerKey(key: string): bigint | undefined {
	if (!/^-?(?:0|[1-9][0-9]{0,18})$/.test(key) || key === '-0') return undefined;
	const value = BigInt(key);
	if (value > PHP_INT_MAX || value < PHP_INT_MIN) return undefined;
	return value;
}

function noteKeyInserted(array: PhpArrayMap, key: string): void {
	const integer = phpIntegerKey(key);
	if (integer === undefined) return;
	const nextFree = nextFreeIndex.get(array);
	if (nextFree === undefined || integer >= nextFree) {
		nextFreeIndex.set(array, integer < PHP_INT_MAX ? integer + 1n : PHP_INT_MAX);
	}
}

/** zend_hash_next_index_insert: returns the key used, or undefined when PHP refuses. */
function appendNext(array: PhpArrayMap, value: PhpValue): string | undefined {
	const key = String(nextFreeIndex.get(array) ?? 0n);
	if (array.has(key)) return undefined; // only possible once PHP_INT_MAX is taken
	array.set(key, value);
	noteKeyInserted(array, key);
	return key;
}

function setKey(array: PhpArrayMap, key: string, value: PhpValue): void {
	const existed = array.has(key);
	array.set(key, value); // Map.set keeps the position of an existing key, like a PHP hash update
	if (!existed) noteKeyInserted(array, key);
}

function newPhpArray(): PhpArrayMap {
	return new Map<string, PhpValue>();
}

/** The array stored under `index` (or appended when index is null), created or replacing a scalar. */
function descend(array: PhpArrayMap, index: string | null): PhpArrayMap | undefined {
	if (index === null) {
		const child = newPhpArray();
		return appendNext(array, child) === undefined ? undefined : child;
	}
	const existing = array.get(index);
	if (existing instanceof Map) return existing;
	const child = newPhpArray();
	setKey(array, index, child);
	return child;
}

function assignPlain(array: PhpArrayMap, index: string | null, value: string): void {
	if (index === null) appendNext(array, value);
	else setKey(array, index, value);
}

/** php_register_variable_ex for one decoded name/value pair. */
function registerVariable(root: PhpArrayMap, rawName: string, value: string, maxNesting: number): void {
	let name = rawName;
	let start = 0;
	while (name[start] === ' ') start++;
	name = name.slice(start);

	let base = '';
	let bracketAt = -1;
	for (let i = 0; i < name.length; i++) {
		const char = name[i];
		if (char === '[') {
			bracketAt = i;
			break;
		}
		base += char === ' ' || char === '.' ? '_' : char;
	}
	if (base.startsWith('__Host-') && !name.startsWith('__Host-')) return;
	if (base.startsWith('__Secure-') && !name.startsWith('__Secure-')) return;
	if (base.length === 0) return;

	if (bracketAt < 0) {
		setKey(root, base, value);
		return;
	}

	let target: PhpArrayMap = root;
	let index: string | null = base;
	let position = bracketAt; // points at a '['
	let nestLevel = 0;
	for (;;) {
		if (++nestLevel > maxNesting) {
			root.delete(base);
			return;
		}
		position++;
		const indexStart = position;
		if (isCSpace(name[position])) position++;
		let nextIndex: string | null;
		if (name[position] === ']') {
			nextIndex = null;
		} else {
			const close = name.indexOf(']', position);
			if (close < 0) {
				if (nestLevel === 1) {
					index = base + '_' + name.slice(indexStart).replace(/[ .[]/g, '_');
				}
				assignPlain(target, index, value);
				return;
			}
			nextIndex = name.slice(indexStart, close);
			position = close;
		}
		const child = descend(target, index);
		if (child === undefined) return;
		target = child;
		index = nextIndex;
		position++;
		if (name[position] !== '[') {
			assignPlain(target, index, value);
			return;
		}
	}
}

/** parse_str() into ordered PHP-like arrays (Map keeps PHP's key order, integer keys included). */
export function parsePhpQueryToMap(query: string, options: PhpQueryOptions = {}): PhpArrayMap {
	const maxInputVars = options.maxInputVars ?? 10000;
	const maxNesting = options.maxInputNestingLevel ?? 64;
	const root = newPhpArray();
	let bytes: Uint8Array = Buffer.from(query, 'utf8');
	const nul = bytes.indexOf(0);
	if (nul >= 0) bytes = bytes.subarray(0, nul); // C string: a raw NUL ends the input

	let count = 0;
	let pairStart = 0;
	while (pairStart <= bytes.length) {
		let pairEnd = bytes.indexOf(0x26, pairStart);
		if (pairEnd < 0) pairEnd = bytes.length;
		if (pairEnd > pairStart) {
			if (++count > maxInputVars) break;
			let equals = bytes.indexOf(0x3d, pairStart);
			if (equals >= pairEnd) equals = -1;
			const nameEnd = equals < 0 ? pairEnd : equals;
			const nameBytes = urlDecodeBytes(bytes, pairStart, nameEnd);
			const nameNul = nameBytes.indexOf(0);
			const name = utf8Decoder.decode(nameNul < 0 ? nameBytes : nameBytes.subarray(0, nameNul));
			const value = equals < 0 ? '' : utf8Decoder.decode(urlDecodeBytes(bytes, equals + 1, pairEnd));
			registerVariable(root, name, value, maxNesting);
		}
		pairStart = pairEnd + 1;
	}
	return root;
}

/** array_is_list(): keys are exactly 0..n-1 in order. */
function isList(array: PhpArrayMap): boolean {
	let expected = 0;
	for (const key of array.keys()) {
		if (key !== String(expected)) return false;
		expected++;
	}
	return true;
}

function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
	if (key === '__proto__') {
		Object.defineProperty(target, key, {
			value,
			enumerable: true,
			writable: true,
			configurable: true,
		});
	} else {
		target[key] = value;
	}
}

/**
 * A PHP value as json_encode would show it: a list becomes a JS array, any other array an object.
 * (JS objects order integer-like keys first; use parsePhpQueryToMap when order matters.)
 */
export function phpValueToPlain(value: PhpValue): unknown {
	if (typeof value === 'string') return value;
	if (isList(value)) return Array.from(value.values(), phpValueToPlain);
	const result: Record<string, unknown> = {};
	for (const [key, child] of value) setOwn(result, key, phpValueToPlain(child));
	return result;
}

/** parse_str($query, $result): the top level is always an object (PHP gives an array of variables). */
export function parsePhpQuery(query: string, options: PhpQueryOptions = {}): Record<string, unknown> {
	const root = parsePhpQueryToMap(query, options);
	const result: Record<string, unknown> = {};
	for (const [key, child] of root) setOwn(result, key, phpValueToPlain(child));
	return result;
}
