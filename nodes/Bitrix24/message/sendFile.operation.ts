import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { dialogIdProperty } from '../shared/dialogIdField';
import { messagePlace } from '../shared/sentMessage';
import { failureToNodeApiError } from '../transport';
import type { Bitrix24Failure } from '../transport';
import { BinaryInputError, binaryFilesOf, binaryPropertyNames } from '../upload/binaryFiles';
import type { BinaryFile } from '../upload/binaryFiles';
import { uploadFileToChat } from '../upload/chatUpload';
import type { UploadedFile } from '../upload/chatUpload';
import { readFileName, sendFileOptions } from '../runner/fileOptions';
import { optionsProperty } from '../runner/options';
import { itemNodeError, oneItemAtATime, runPipeline } from '../runner/pipeline';
import type { PipelineRun } from '../runner/pipeline';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';
import { MAX_MESSAGE_CHARACTERS } from '../text/longText';
import { characterCount } from '../shared/serverText';

const showForSendFile = { show: { resource: ['message'], operation: ['sendFile'] } };

export const sendFileDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: showForSendFile },
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: showForSendFile,
		placeholder: 'data',
		hint: 'The name of the binary property holding the file. Several names separated by commas send several files.',
		description:
			'Binary property of the input item that holds the file, e.g. "data" from Convert to File or Read/Write Files from Disk. Each file is posted as its own message; at most 100 MB per file.',
	},
	// As in Send: the format sits above the caption it describes.
	messageFormatProperty(showForSendFile.show, 'the caption'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: showForSendFile,
		placeholder: 'Daily report',
		description:
			'Optional caption posted with the file (with the first file when there are several), at most 20,000 characters. In the Message Format chosen above.',
	},
	optionsProperty(showForSendFile.show, sendFileOptions),
];

interface FileJob {
	dialogId: string;
	message: string;
	files: BinaryFile[];
}

/** Reads and checks one item; throws a NodeOperationError naming the field and the item. */
async function prepareItem(run: PipelineRun, itemIndex: number): Promise<FileJob> {
	const { context } = run;
	const dialogId = readDialogIdField(context, itemIndex);
	const fileName = readFileName(context, itemIndex);
	const message = readMessageText(context, itemIndex).trim();
	// A caption has no Long Text option: Bitrix24 would cut it and add " (...)", so it fails here.
	const captionLength = characterCount(message);
	if (captionLength > MAX_MESSAGE_CHARACTERS) {
		throw invalidInput(
			context,
			itemIndex,
			'Message',
			`the caption is ${captionLength} characters long; Bitrix24 keeps only the first ${MAX_MESSAGE_CHARACTERS} and adds " (...)". Shorten it, or post the long text with the Send operation, which splits it into several messages`,
		);
	}
	const names = binaryPropertyNames(context.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	try {
		const files = await binaryFilesOf(context, run.items[itemIndex], itemIndex, names, fileName);
		return { dialogId, message, files };
	} catch (error) {
		if (error instanceof BinaryInputError) throw invalidInput(context, itemIndex, error.field, error.message);
		throw itemNodeError(context, error, itemIndex);
	}
}

function describePosted(posted: UploadedFile[]): string {
	return posted
		.map((file) => `"${file.name}" (${file.messageId ? `message ${file.messageId}` : `Drive file ${file.id}`})`)
		.join(', ');
}

/**
 * The error for a file that failed, with what the user needs to clean up: whether the file may
 * already be in the chat, a Drive file left uncommitted, and the files of the item already posted.
 */
function uploadError(
	context: IExecuteFunctions,
	itemIndex: number,
	file: BinaryFile,
	failure: Bitrix24Failure,
	orphan: { diskId: number; chatId: number } | undefined,
	posted: UploadedFile[],
	missingScope: string | undefined,
): NodeApiError {
	const notes: string[] = [];
	if (missingScope) {
		notes.push(
			`This portal has no im.v2, so files go through Bitrix24 Drive: the webhook or application needs the "${missingScope}" scope besides "im"`,
		);
	}
	if (orphan && failure.deliveryUnknown) {
		// The upload is certain; only the post is not. Posting the Drive file again could show it twice.
		notes.push(
			`The file "${file.fileName}" was uploaded to the chat's Drive folder as file ${orphan.diskId}, but the request that posts it to chat ${orphan.chatId} (im.disk.file.commit) got no answer: the file may or may not be in the chat. It was not posted again, to avoid posting it twice; look in the chat before doing anything with file ${orphan.diskId}`,
		);
	} else if (orphan) {
		notes.push(
			`The file "${file.fileName}" was uploaded to the chat's Drive folder as file ${orphan.diskId} but not posted to the chat: post it with im.disk.file.commit (CHAT_ID ${orphan.chatId}, UPLOAD_ID ${orphan.diskId}) or delete it with disk.file.delete (id ${orphan.diskId})`,
		);
	} else if (failure.deliveryUnknown) {
		notes.push(
			`The file "${file.fileName}" may or may not have been uploaded; it was not retried, to avoid posting it twice`,
		);
	}
	if (posted.length > 0) notes.push(`Already posted from item ${itemIndex}: ${describePosted(posted)}`);
	// The transport's wording speaks of messages; for files the notes above say it instead.
	return failureToNodeApiError(context.getNode(), { ...failure, deliveryUnknown: false }, itemIndex, {
		notes,
		notesAsDescription: true,
	});
}

function fileOutput(file: UploadedFile, withMessageId: boolean): IDataObject {
	const entry: IDataObject = { id: file.id, name: file.name, size: file.size };
	if (withMessageId) entry.messageId = file.messageId;
	return entry;
}

export async function executeSendFile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPipeline(this, {
		options: sendFileOptions,
		prepare: prepareItem,
		send: oneItemAtATime(async (run, job, itemIndex) => {
			const connection = await run.connection();
			const posted: UploadedFile[] = [];
			for (const [position, file] of job.files.entries()) {
				// The caption travels with the first file only, so it is posted once.
				const target = { dialogId: job.dialogId, message: position === 0 ? job.message : '' };
				const outcome = await uploadFileToChat(run.context, connection, run.settings(), target, file);
				if (!outcome.ok) {
					const { failure, orphan, missingScope } = outcome;
					const error = uploadError(run.context, itemIndex, file, failure, orphan, posted, missingScope);
					const already = posted.length > 0 ? { files: posted.map((entry) => fileOutput(entry, true)) } : undefined;
					return { error, extra: already };
				}
				posted.push(outcome.file);
			}
			const several = posted.length > 1;
			return {
				json: {
					messageId: posted[0].messageId,
					...messagePlace(connection.portal, job.dialogId, posted[0].messageId),
					files: posted.map((file) => fileOutput(file, several)),
					...escapedBbCodeNote(job.message),
				},
			};
		}),
	});
}
