import { SerializedJsonBody } from '../../transport/serializedBody';

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
	// Base64 encodes 3 bytes at a time: up to 2 bytes wait for the next chunk.
	let carry: Buffer = Buffer.alloc(0);
	for await (const piece of chunks) {
		const chunk = Buffer.isBuffer(piece) ? piece : Buffer.from(piece.buffer, piece.byteOffset, piece.byteLength);
		read += chunk.length;
		if (read > byteCount) throw new FileSizeChangedError(byteCount, read);
		const data = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
		const whole = data.length - (data.length % 3);
		offset += body.write(data.subarray(0, whole).toString('base64'), offset, 'latin1');
		carry = Buffer.from(data.subarray(whole));
	}
	if (read !== byteCount) throw new FileSizeChangedError(byteCount, read);
	if (carry.length > 0) offset += body.write(carry.toString('base64'), offset, 'latin1');
	offset += tail.copy(body, offset);
	return new SerializedJsonBody(offset === body.length ? body : body.subarray(0, offset));
}
