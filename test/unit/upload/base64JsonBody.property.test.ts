import fc from 'fast-check';

import { base64JsonBody, FileSizeChangedError } from '../../../nodes/Bitrix24/upload/base64JsonBody';

async function* inPieces(bytes: Buffer, sizes: number[]) {
	let start = 0;
	for (let index = 0; start < bytes.length; index++) {
		const size = sizes[index % sizes.length];
		yield bytes.subarray(start, start + size);
		start += size;
	}
}

/** The streaming encoder must give exactly what JSON.stringify of the whole base64 text would. */
describe('base64JsonBody', () => {
	it('equals prefix + base64 + suffix for any bytes cut into any chunks', async () => {
		await fc.assert(
			fc.asyncProperty(
				fc.uint8Array({ maxLength: 64 }),
				fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 5 }),
				fc.string(),
				async (array, sizes, name) => {
					const bytes = Buffer.from(array);
					const prefix = `{"name":${JSON.stringify(name)},"content":"`;
					const body = await base64JsonBody(prefix, inPieces(bytes, sizes), bytes.length, '"}');
					const text = body.bytes.toString('utf8');
					expect(text).toBe(JSON.stringify({ name, content: bytes.toString('base64') }));
					expect(JSON.parse(text)).toEqual({ name, content: bytes.toString('base64') });
				},
			),
		);
	});

	it('refuses a file that is shorter or longer than announced, instead of sending it cut', async () => {
		const bytes = Buffer.from('abcdef');
		await expect(base64JsonBody('"', inPieces(bytes, [4]), 7, '"')).rejects.toBeInstanceOf(FileSizeChangedError);
		await expect(base64JsonBody('"', inPieces(bytes, [4]), 5, '"')).rejects.toBeInstanceOf(FileSizeChangedError);
	});
});
