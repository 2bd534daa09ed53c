import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { callMethod } from '../transport';
import type { Bitrix24Connection, Bitrix24Failure, CallSettings } from '../transport';
import { base64JsonBody, FileSizeChangedError, jsonBodyAroundBase64 } from './base64JsonBody';
import type { BinaryFile } from './binaryFiles';
import { isJsonObject, objectOf } from '../shared/jsonValue';

/** An upload of up to 100 MB (133 MB of base64) takes longer than a text message. */
export const DEFAULT_UPLOAD_TIMEOUT_SECONDS = 300;

/** A file posted to the chat. `id` is its Drive file ID. */
export interface UploadedFile {
	id: number;
	name: string;
	size: number;
	/** The message that carries the file; null when the portal does not say (classic flow). */
	messageId: number | null;
}

export type UploadOutcome =
	| { ok: true; file: UploadedFile }
	| {
			ok: false;
			failure: Bitrix24Failure;
			/** Classic flow: the Drive file that was uploaded but never posted to the chat. */
			orphan?: { diskId: number; chatId: number };
			/** The scope the refused call needed, when it is not the "im" every call needs. */
			missingScope?: string;
	  };

export type UploadFlow = 'v2' | 'classic';

/**
 * Which flow each portal takes, for the rest of the execution: a portal without `im.v2` answers
 * ERROR_METHOD_NOT_FOUND once, and every later file goes straight to the classic flow.
 */
const flowByExecutionAndPortal = new Map<string, UploadFlow>();
const REMEMBERED_FLOWS_LIMIT = 1000;

function flowKey(context: IExecuteFunctions, connection: Bitrix24Connection): string {
	return `${context.getExecutionId() ?? ''}\n${connection.portal}`;
}

export function rememberedFlow(context: IExecuteFunctions, connection: Bitrix24Connection): UploadFlow {
	return flowByExecutionAndPortal.get(flowKey(context, connection)) ?? 'v2';
}

function rememberClassicFlow(context: IExecuteFunctions, connection: Bitrix24Connection): void {
	if (flowByExecutionAndPortal.size >= REMEMBERED_FLOWS_LIMIT) {
		const oldest = flowByExecutionAndPortal.keys().next().value;
		if (oldest !== undefined) flowByExecutionAndPortal.delete(oldest);
	}
	flowByExecutionAndPortal.set(flowKey(context, connection), 'classic');
}

export interface UploadTarget {
	dialogId: string;
	/** Caption posted with the file ('' for none). */
	message: string;
}

interface UploadCall {
	context: IExecuteFunctions;
	connection: Bitrix24Connection;
	/** For calls that create something (upload, commit): never resent once they may have run. */
	writeSettings: CallSettings;
	/** For lookups (dialog, folder): asking twice does no harm. */
	readSettings: CallSettings;
}

const json = (value: unknown) => JSON.stringify(value);

function numberOf(value: unknown): number | null {
	const number = Number(value);
	return Number.isFinite(number) ? number : null;
}

/** Reads the file into a JSON body, between `prefix` and `suffix`; a file that cannot be read is a failure. */
export async function bodyWithFile(file: BinaryFile, prefix: string, suffix: string) {
	if (file.base64 !== undefined) return jsonBodyAroundBase64(prefix, file.base64, suffix);
	try {
		return await base64JsonBody(prefix, await file.read(), file.size, suffix);
	} catch (error) {
		const code = error instanceof FileSizeChangedError ? 'FILE_CHANGED' : 'FILE_READ_FAILED';
		const reason = error instanceof Error ? error.message : String(error);
		return {
			failure: {
				code,
				description: `"${file.fileName}" could not be read whole: ${reason}`,
				verdict: 'fatal' as const,
			},
		};
	}
}

/** im.v2.File.upload: one call uploads to Drive, attaches to the chat and posts the message. */
async function uploadWithV2(call: UploadCall, target: UploadTarget, file: BinaryFile): Promise<UploadOutcome> {
	const fields = `{"name":${json(file.fileName)},${target.message !== '' ? `"message":${json(target.message)},` : ''}"content":"`;
	const body = await bodyWithFile(file, `{"dialogId":${json(target.dialogId)},"fields":${fields}`, '"}}');
	if ('failure' in body) return { ok: false, failure: body.failure };
	const answer = await callMethod(call.context, call.connection, 'im.v2.File.upload', body, call.writeSettings);
	if (!answer.ok) return { ok: false, failure: answer.failure };
	const result = objectOf(answer.body.result);
	const uploaded = objectOf(result.file);
	return {
		ok: true,
		file: {
			id: numberOf(uploaded.id) ?? 0,
			name: typeof uploaded.name === 'string' ? uploaded.name : file.fileName,
			size: numberOf(uploaded.size) ?? file.size,
			messageId: numberOf(result.messageId),
		},
	};
}

/** The numeric chat ID the classic methods want: `chat5` is 5; a person or workgroup asks the portal. */
async function chatIdOf(
	call: UploadCall,
	dialogId: string,
): Promise<{ chatId: number } | { failure: Bitrix24Failure }> {
	const chat = /^chat(\d+)$/.exec(dialogId);
	if (chat) return { chatId: Number(chat[1]) };
	const answer = await callMethod(
		call.context,
		call.connection,
		'im.dialog.get',
		{ DIALOG_ID: dialogId },
		call.readSettings,
	);
	if (!answer.ok) return { failure: answer.failure };
	const chatId = numberOf(objectOf(answer.body.result).id);
	if (!chatId)
		return {
			failure: {
				code: 'CHAT_NOT_FOUND',
				description: `Bitrix24 returned no chat for dialog ${dialogId}`,
				verdict: 'fatal',
			},
		};
	return { chatId };
}

/**
 * The classic flow for portals without im.v2: im.disk.folder.get → disk.folder.uploadfile →
 * im.disk.file.commit. A failure between the upload and the commit leaves the file in the
 * chat's Drive folder; its ID is returned so the user can commit or delete it.
 */
async function uploadWithClassicFlow(call: UploadCall, target: UploadTarget, file: BinaryFile): Promise<UploadOutcome> {
	const chat = await chatIdOf(call, target.dialogId);
	if ('failure' in chat) return { ok: false, failure: chat.failure };
	const { chatId } = chat;

	const folder = await callMethod(
		call.context,
		call.connection,
		'im.disk.folder.get',
		{ CHAT_ID: chatId },
		call.readSettings,
	);
	if (!folder.ok) return { ok: false, failure: folder.failure };
	const folderId = numberOf(objectOf(folder.body.result).ID);
	if (!folderId)
		return {
			ok: false,
			failure: {
				code: 'FOLDER_ERROR',
				description: `Bitrix24 returned no Drive folder for chat ${chatId}`,
				verdict: 'fatal',
			},
		};

	const body = await bodyWithFile(
		file,
		`{"id":${folderId},"data":{"NAME":${json(file.fileName)}},"generateUniqueName":true,"fileContent":[${json(file.fileName)},"`,
		'"]}',
	);
	if ('failure' in body) return { ok: false, failure: body.failure };
	const upload = await callMethod(call.context, call.connection, 'disk.folder.uploadfile', body, call.writeSettings);
	if (!upload.ok) {
		// disk.folder.uploadfile belongs to Drive: its own scope, which Send alone never needed.
		const missingScope = upload.failure.code === 'insufficient_scope' ? 'disk' : undefined;
		return { ok: false, failure: upload.failure, missingScope };
	}
	const stored = objectOf(upload.body.result);
	const diskId = numberOf(stored.ID);
	if (!diskId)
		return {
			ok: false,
			failure: {
				code: 'UPLOAD_FAILED',
				description: 'Bitrix24 returned no Drive file ID for the upload',
				verdict: 'fatal',
			},
		};

	const commitParams: IDataObject = { CHAT_ID: chatId, UPLOAD_ID: diskId };
	if (target.message !== '') commitParams.MESSAGE = target.message;
	const commit = await callMethod(
		call.context,
		call.connection,
		'im.disk.file.commit',
		commitParams,
		call.writeSettings,
	);
	if (!commit.ok) return { ok: false, failure: commit.failure, orphan: { diskId, chatId } };
	// The commit answers `true`; some portal versions answer an object with the message ID.
	const committed = commit.body.result;
	const messageId = isJsonObject(committed) ? numberOf(committed.MESSAGE_ID ?? committed.messageId) : null;
	return {
		ok: true,
		file: {
			id: diskId,
			name: typeof stored.NAME === 'string' ? stored.NAME : file.fileName,
			size: numberOf(stored.SIZE) ?? file.size,
			messageId,
		},
	};
}

/**
 * Posts one file to the chat. Never inside `batch` (Bitrix24 refuses uploads there); every
 * request is paced, and retried only when the transport knows nothing ran.
 */
export async function uploadFileToChat(
	context: IExecuteFunctions,
	connection: Bitrix24Connection,
	settings: CallSettings,
	target: UploadTarget,
	file: BinaryFile,
): Promise<UploadOutcome> {
	const call: UploadCall = {
		context,
		connection,
		writeSettings: { ...settings, idempotent: false },
		readSettings: { ...settings, idempotent: true },
	};
	if (rememberedFlow(context, connection) === 'v2') {
		const outcome = await uploadWithV2(call, target, file);
		// Unknown method: nothing ran, so the classic flow cannot post the file twice.
		if (outcome.ok || outcome.failure.code !== 'ERROR_METHOD_NOT_FOUND') return outcome;
		rememberClassicFlow(context, connection);
	}
	return await uploadWithClassicFlow(call, target, file);
}
