/**
 * File upload to chats, both ways Bitrix24 offers it: `im.v2.File.upload` (one call) and the
 * classic `im.disk.folder.get` → `disk.folder.uploadfile` → `im.disk.file.commit`.
 */
import { editedText } from './chatLoopMethods';
import { resolveDialog } from './directory';
import { isRecord, RestError } from './envelope';
import { chatFolderId, type FileStore } from './fileStore';
import type { MessageStore } from './messageStore';
import type { CallContext, MethodDefinition, MethodSuccess } from './methods';

const STRICT_BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function text(value: unknown): string {
	if (typeof value === 'string') return value;
	if (typeof value === 'number') return String(value);
	return '';
}

/** Uploads are refused inside `batch`, as on a real portal. */
function refuseInBatch(context: CallContext): void {
	if (context.via === 'batch') {
		throw new RestError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
	}
}

function chatOfDialog(dialogId: string): { chatId: number; dialogId: string } | undefined {
	const resolution = resolveDialog(dialogId);
	if (!resolution.ok) return undefined;
	const target = resolution.target;
	// Same numbering as im.dialog.get in methods.ts: private chats 1000 + user, workgroups 2000 + group.
	if (target.kind === 'chat') return { chatId: target.chatId, dialogId: target.dialogId };
	if (target.kind === 'user') return { chatId: 1000 + target.userId, dialogId: target.dialogId };
	return { chatId: 2000 + target.groupId, dialogId: target.dialogId };
}

/** The dialog ID a chat ID belongs to (the inverse of chatOfDialog). */
function dialogOfChat(chatId: number): string | undefined {
	if (chatId > 2000) return chatOfDialog(`sg${chatId - 2000}`)?.dialogId;
	if (chatId > 1000) return chatOfDialog(String(chatId - 1000))?.dialogId;
	return chatOfDialog(`chat${chatId}`)?.dialogId;
}

function imV2FileUpload(
	files: FileStore,
	messages: MessageStore,
	params: Record<string, unknown>,
	context: CallContext,
): MethodSuccess {
	if (!files.imV2Available) throw new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!');
	refuseInBatch(context);
	// The access check is a prefilter: it runs before the fields are looked at.
	const chat = chatOfDialog(text(params.dialogId));
	if (!chat) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
	const fields = isRecord(params.fields) ? params.fields : {};
	const name = text(fields.name).trim();
	const content = text(fields.content);
	if (name === '' || content === '') throw new RestError(400, 'FILE_EMPTY', 'File name or content is empty');
	if (content.length % 4 !== 0 || !STRICT_BASE64.test(content)) {
		throw new RestError(400, 'INVALID_CONTENT', 'Invalid base64 content');
	}
	const bytes = Buffer.from(content, 'base64');
	if (bytes.length === 0) throw new RestError(400, 'FILE_EMPTY', 'File name or content is empty');
	if (bytes.length > files.maxUploadBytes) throw new RestError(400, 'FILE_TOO_LARGE', 'File too large');

	const stored = files.add({ folderId: chatFolderId(chat.chatId), chatId: chat.chatId, name, bytes, flow: 'v2' });
	const message = messages.add({
		dialogId: chat.dialogId,
		message: editedText(text(fields.message)),
		files: [stored.diskId],
		system: 'N',
		urlPreview: 'Y',
		via: context.via,
		auth: context.auth,
	});
	stored.messageId = message.id;
	const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
	return {
		result: {
			dialogId: chat.dialogId,
			chatId: chat.chatId,
			messageId: message.id,
			file: { id: stored.diskId, chatId: chat.chatId, name, extension, size: stored.size },
		},
	};
}

function chatIdParam(params: Record<string, unknown>): number {
	const chatId = Number.parseInt(text(params.CHAT_ID ?? params.chat_id), 10);
	if (!(chatId > 0)) throw new RestError(400, 'CHAT_ID_EMPTY', "Chat ID can't be empty");
	if (!dialogOfChat(chatId)) throw new RestError(403, 'ACCESS_ERROR', 'You do not have access to the specified dialog');
	return chatId;
}

function imDiskFolderGet(params: Record<string, unknown>): MethodSuccess {
	const chatId = chatIdParam(params);
	return { result: { ID: chatFolderId(chatId), NAME: `Chat ${chatId}`, TYPE: 'folder' } };
}

function diskFolderUploadFile(files: FileStore, params: Record<string, unknown>, context: CallContext): MethodSuccess {
	refuseInBatch(context);
	const folderId = Number.parseInt(text(params.id), 10);
	const chatId = folderId - 5000;
	if (!(chatId > 0) || !dialogOfChat(chatId))
		throw new RestError(404, 'ERROR_NOT_FOUND', 'Could not find entity with id');
	const data = isRecord(params.data) ? params.data : {};
	const fileContent = Array.isArray(params.fileContent) ? params.fileContent : [];
	const name = text(data.NAME).trim() || text(fileContent[0]).trim();
	const content = text(fileContent[1]);
	if (name === '' || content === '') throw new RestError(400, 'ERROR_ARGUMENT', 'Argument "fileContent" is required');
	if (content.length % 4 !== 0 || !STRICT_BASE64.test(content)) {
		throw new RestError(400, 'INVALID_CONTENT', 'Invalid base64 content');
	}
	const stored = files.add({ folderId, chatId, name, bytes: Buffer.from(content, 'base64'), flow: 'classic' });
	return {
		result: {
			ID: stored.diskId,
			NAME: name,
			TYPE: 'file',
			PARENT_ID: String(folderId),
			SIZE: String(stored.size),
			FILE_ID: 90000 + stored.diskId,
			DOWNLOAD_URL: `/disk/downloadFile/${stored.diskId}/`,
		},
	};
}

function imDiskFileCommit(
	files: FileStore,
	messages: MessageStore,
	params: Record<string, unknown>,
	context: CallContext,
): MethodSuccess {
	const chatId = chatIdParam(params);
	const ids = [params.UPLOAD_ID, params.DISK_ID]
		.flatMap((value) => (Array.isArray(value) ? value : [value]))
		.map((value) => Number.parseInt(text(value), 10))
		.filter((id) => id > 0);
	const committed = ids.map((id) => files.byDiskId(id)).filter((file) => file !== undefined && file.chatId === chatId);
	if (ids.length === 0 || committed.length !== ids.length)
		throw new RestError(400, 'FILES_ERROR', 'List of files in not specified');
	const message = messages.add({
		dialogId: dialogOfChat(chatId) ?? `chat${chatId}`,
		message: editedText(text(params.MESSAGE)),
		files: committed.map((file) => file!.diskId),
		system: 'N',
		urlPreview: 'Y',
		via: context.via,
		auth: context.auth,
	});
	for (const file of committed) file!.messageId = message.id;
	// Documented answer: just `true`, no message ID.
	return { result: true };
}

export function createFileMethods(files: FileStore, messages: MessageStore): Array<[string, MethodDefinition]> {
	return [
		[
			'im.v2.file.upload',
			{ scope: 'im', handler: (params, context) => imV2FileUpload(files, messages, params, context) },
		],
		['im.disk.folder.get', { scope: 'im', handler: imDiskFolderGet }],
		[
			'disk.folder.uploadfile',
			{ scope: 'disk', handler: (params, context) => diskFolderUploadFile(files, params, context) },
		],
		[
			'im.disk.file.commit',
			{ scope: 'im', handler: (params, context) => imDiskFileCommit(files, messages, params, context) },
		],
	];
}
