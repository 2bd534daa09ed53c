import { createHash } from 'node:crypto';

/** A file the fake portal received, kept byte for byte so tests can compare hashes. */
export interface StoredFile {
	/** Drive file ID. */
	diskId: number;
	folderId: number;
	chatId: number;
	name: string;
	size: number;
	sha256: string;
	bytes: Buffer;
	/** How it arrived: im.v2.File.upload, or disk.folder.uploadfile (then committed or not). */
	flow: 'v2' | 'classic';
	/** The chat message that carries the file; absent while a classic upload is not committed. */
	messageId?: number;
}

export const FIRST_DISK_FILE_ID = 7001;

/** im.v2.File.upload: "File size exceeds 100 MB". */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

/** Each chat's Drive folder has a fixed ID in the fake: 5000 + chat ID. */
export const chatFolderId = (chatId: number) => 5000 + chatId;

export class FileStore {
	readonly files: StoredFile[] = [];
	/** false: the portal predates im.v2, and im.v2.File.upload answers ERROR_METHOD_NOT_FOUND. */
	imV2Available = true;
	/** im.v2.File.upload's limit; tests lower it to see FILE_TOO_LARGE without a 100 MB file. */
	maxUploadBytes = MAX_UPLOAD_BYTES;
	private nextDiskId = FIRST_DISK_FILE_ID;

	add(file: Omit<StoredFile, 'diskId' | 'size' | 'sha256'>): StoredFile {
		const stored: StoredFile = {
			diskId: this.nextDiskId++,
			size: file.bytes.length,
			sha256: createHash('sha256').update(file.bytes).digest('hex'),
			...file,
		};
		this.files.push(stored);
		return stored;
	}

	byDiskId(diskId: number): StoredFile | undefined {
		return this.files.find((file) => file.diskId === diskId);
	}

	reset(): void {
		this.files.length = 0;
		this.imV2Available = true;
		this.maxUploadBytes = MAX_UPLOAD_BYTES;
		this.nextDiskId = FIRST_DISK_FILE_ID;
	}
}
