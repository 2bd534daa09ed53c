import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { isCanonicalBase64 } from './base64JsonBody';
import type { ByteChunks } from './base64JsonBody';

/** im.v2.File.upload refuses files over 100 MB (FILE_TOO_LARGE); the node says so before sending. */
export const MAX_FILE_BYTES = 100 * 1024 * 1024;

/**
 * Read size: a multiple of 3, so every chunk but the last encodes to base64 without a carry, and
 * small enough that the chunks already encoded are collected as young garbage.
 */
const READ_CHUNK_BYTES = 3 * 64 * 1024;

/** One file of an item, checked and ready to be read. */
export interface BinaryFile {
	propertyName: string;
	fileName: string;
	size: number;
	/** Reads the bytes: streamed where n8n keeps binaries on disk (or elsewhere), sliced otherwise. */
	read(): Promise<ByteChunks>;
	/** The file as base64 already, when n8n keeps it in memory that way: sent without decoding. */
	base64?: string;
}

/** A problem with the input, reported for the field it concerns. */
export class BinaryInputError extends Error {
	constructor(
		readonly field: string,
		problem: string,
	) {
		super(problem);
	}
}

/** `data, report` → ['data', 'report']. */
export function binaryPropertyNames(value: unknown): string[] {
	return String(value ?? '')
		.split(',')
		.map((name) => name.trim())
		.filter((name) => name !== '');
}

function formatMegabytes(bytes: number): string {
	return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

async function byteCountOf(context: IExecuteFunctions, binary: IBinaryData): Promise<number> {
	if (typeof binary.bytes === 'number' && Number.isFinite(binary.bytes)) return binary.bytes;
	if (binary.id) return (await context.helpers.getBinaryMetadata(binary.id)).fileSize;
	// Kept in memory as base64: 3 bytes per 4 characters, less the padding.
	const text = binary.data ?? '';
	const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
	return Math.max(0, (text.length / 4) * 3 - padding);
}

async function* slices(buffer: Buffer): ByteChunks {
	for (let start = 0; start < buffer.length; start += READ_CHUNK_BYTES) {
		yield buffer.subarray(start, start + READ_CHUNK_BYTES);
	}
}

/**
 * The item's files for the given binary property names, checked before anything is sent:
 * every property exists, no file is empty and none is over the 100 MB limit.
 */
export async function binaryFilesOf(
	context: IExecuteFunctions,
	item: INodeExecutionData,
	itemIndex: number,
	propertyNames: string[],
	fileNameOverride: string,
): Promise<BinaryFile[]> {
	if (propertyNames.length === 0) {
		throw new BinaryInputError(
			'Input Binary Field',
			'give the name of the binary property that holds the file, e.g. data',
		);
	}
	if (fileNameOverride !== '' && propertyNames.length > 1) {
		throw new BinaryInputError(
			'File Name',
			'it can only rename a single file; with several binary properties leave it empty and each file keeps its own name',
		);
	}
	const available = Object.keys(item.binary ?? {});
	const files: BinaryFile[] = [];
	for (const propertyName of propertyNames) {
		const binary = item.binary?.[propertyName];
		if (!binary) {
			const has =
				available.length > 0
					? `it has ${available.map((name) => `"${name}"`).join(', ')}`
					: 'it has no binary data at all';
			throw new BinaryInputError('Input Binary Field', `the item has no binary property "${propertyName}"; ${has}`);
		}
		const size = await byteCountOf(context, binary);
		const fileName =
			fileNameOverride || binary.fileName || `${propertyName}${binary.fileExtension ? `.${binary.fileExtension}` : ''}`;
		if (size <= 0) {
			throw new BinaryInputError('Input Binary Field', `the file in "${propertyName}" (${fileName}) is empty`);
		}
		if (size > MAX_FILE_BYTES) {
			throw new BinaryInputError(
				'Input Binary Field',
				`the file in "${propertyName}" (${fileName}) is ${formatMegabytes(size)}; Bitrix24 accepts at most 100 MB per file`,
			);
		}
		const base64 = !binary.id && isCanonicalBase64(binary.data ?? '', size) ? binary.data : undefined;
		files.push({
			propertyName,
			fileName,
			size,
			base64,
			read: async () => {
				if (binary.id) return await context.helpers.getBinaryStream(binary.id, READ_CHUNK_BYTES);
				return slices(await context.helpers.getBinaryDataBuffer(itemIndex, propertyName));
			},
		});
	}
	return files;
}
