import { SerializedJsonBody } from '../transport';

/**
 * Bytes encoded per step, a multiple of 3. The 64 KB of text each step makes stays in V8's young
 * generation, which is reclaimed quickly; megabyte strings would pile up as old garbage and
 * inflate the process's memory by about the file's size.
 */
const ENCODE_SLICE_BYTES = 3 * 16 * 1024;

/** Length of the base64 text of `byteCount` bytes (with padding). */
export function base64Length(byteCount: number): number {
	return Math.ceil(byteCount / 3) * 4;
}

/** The file's bytes as they are read: a stream from n8n's binary store, or slices of a buffer. */
export type ByteChunks = AsyncIterable<Buffer | Uint8Array>;

/** The binary changed between the size check and the read: refuse rather than send a cut file. */
export class FileSizeChangedError extends Error {
	constructor(expected: number, actual: number) {
		super(`the file has ${actual} bytes, not the ${expected} announced`);
	}
}

/**
 * Builds `prefix` + base64(file) + `suffix` straight into one buffer of the exact final size.
 * Memory: the body itself (4/3 of the file) plus one chunk; no JSON string of the whole body
 * and no object holding the base64 text ever exist.
 */
export async function base64JsonBody(
	prefix: string,
	chunks: ByteChunks,
	byteCount: number,
	suffix: string,
): Promise<SerializedJsonBody> {
	const head = Buffer.from(prefix, 'utf8');
	const tail = Buffer.from(suffix, 'utf8');
	const body = Buffer.allocUnsafe(head.length + base64Length(byteCount) + tail.length);
	let offset = head.copy(body, 0);
	let read = 0;
	// Base64 encodes 3 bytes at a time: up to 2 bytes of a chunk wait for the next one. They are
	// joined in this small buffer: copying whole chunks together would double the garbage that a
	// 100 MB read leaves for the garbage collector.
	const carry = Buffer.alloc(3);
	let carried = 0;
	for await (const piece of chunks) {
		let chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
		read += chunk.length;
		if (read > byteCount) throw new FileSizeChangedError(byteCount, read);
		if (carried > 0) {
			const taken = Math.min(3 - carried, chunk.length);
			chunk.copy(carry, carried, 0, taken);
			carried += taken;
			chunk = chunk.subarray(taken);
			if (carried < 3) continue;
			offset += body.write(carry.toString('base64'), offset, 'latin1');
			carried = 0;
		}
		const whole = chunk.length - (chunk.length % 3);
		for (let start = 0; start < whole; start += ENCODE_SLICE_BYTES) {
			const end = Math.min(whole, start + ENCODE_SLICE_BYTES);
			offset += body.write(chunk.toString('base64', start, end), offset, 'latin1');
		}
		carried = chunk.copy(carry, 0, whole);
	}
	if (read !== byteCount) throw new FileSizeChangedError(byteCount, read);
	if (carried > 0) offset += body.write(carry.toString('base64', 0, carried), offset, 'latin1');
	offset += tail.copy(body, offset);
	return new SerializedJsonBody(offset === body.length ? body : body.subarray(0, offset));
}

const CANONICAL_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Whether `text` is exactly the base64 Bitrix24 wants for `byteCount` bytes (no line breaks, no
 * data: prefix). n8n keeps in-memory binaries in that form, so they can be sent without decoding.
 */
export function isCanonicalBase64(text: string, byteCount: number): boolean {
	return text.length === base64Length(byteCount) && CANONICAL_BASE64.test(text);
}

/** `prefix` + base64 text + `suffix` in one buffer: the text is copied once, never decoded. */
export function jsonBodyAroundBase64(prefix: string, base64Text: string, suffix: string): SerializedJsonBody {
	const head = Buffer.from(prefix, 'utf8');
	const tail = Buffer.from(suffix, 'utf8');
	const body = Buffer.allocUnsafe(head.length + base64Text.length + tail.length);
	let offset = head.copy(body, 0);
	offset += body.write(base64Text, offset, 'latin1');
	tail.copy(body, offset);
	return new SerializedJsonBody(body);
}
