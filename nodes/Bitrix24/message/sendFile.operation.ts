import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties, NodeApiError } from 'n8n-workflow';

import { invalidInputMessage } from '../shared/itemInput';
import { isDialogId } from '../shared/dialogId';
import { dialogIdProperty } from '../shared/dialogIdField';
import { messagePlace } from '../shared/sentMessage';
import { failureToNodeApiError, resolveConnection } from '../transport';
import type { Bitrix24Failure } from '../transport';
import { BinaryInputError, binaryFilesOf, binaryPropertyNames } from '../upload/binaryFiles';
import type { BinaryFile } from '../upload/binaryFiles';
import { uploadFileToChat } from '../upload/chatUpload';
import type { UploadedFile } from '../upload/chatUpload';
import { readSendFileOptions, sendFileOptionsProperty } from '../upload/sendFileOptions';
import type { SendFileOptions } from '../upload/sendFileOptions';
import { failedItem } from '../runner/runOperation';
import { readDialogId } from './send.operation';
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
	{ ...sendFileOptionsProperty, displayOptions: showForSendFile },
];

interface FileJob {
	itemIndex: number;
	dialogId: string;
	message: string;
	files: BinaryFile[];
	options: SendFileOptions;
}

/** Reads and checks one item; throws a NodeOperationError naming the field and the item. */
async function prepareItem(context: IExecuteFunctions, item: INodeExecutionData, itemIndex: number): Promise<FileJob> {
	const invalid = (field: string, problem: string) =>
		new NodeOperationError(context.getNode(), invalidInputMessage(itemIndex, field, problem), { itemIndex });

	const dialogId = readDialogId(context, itemIndex);
	if (!isDialogId(dialogId)) {
		throw invalid(
			'Dialog',
			`"${dialogId.slice(0, 40)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	const options = readSendFileOptions(context, itemIndex);
	const message = readMessageText(context, itemIndex).trim();
	// A caption has no Long Text option: Bitrix24 would cut it and add " (...)", so it fails here.
	const captionLength = characterCount(message);
	if (captionLength > MAX_MESSAGE_CHARACTERS) {
		throw invalid(
			'Message',
			`the caption is ${captionLength} characters long; Bitrix24 keeps only the first ${MAX_MESSAGE_CHARACTERS} and adds " (...)". Shorten it, or post the long text with the Send operation, which splits it into several messages`,
		);
	}
	const names = binaryPropertyNames(context.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	try {
		const files = await binaryFilesOf(context, item, itemIndex, names, options.fileName);
		return { itemIndex, dialogId, message, files, options };
	} catch (error) {
		if (error instanceof BinaryInputError) throw invalid(error.field, error.message);
		throw new NodeOperationError(context.getNode(), error as Error, { itemIndex });
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
	const error = failureToNodeApiError(context.getNode(), { ...failure, deliveryUnknown: false }, itemIndex);
	if (notes.length > 0) {
		error.message = `${error.message}. ${notes.join('. ')}`;
		error.description = `${notes.join('. ')}.`;
	}
	return error;
}

function fileOutput(file: UploadedFile, withMessageId: boolean): IDataObject {
	const entry: IDataObject = { id: file.id, name: file.name, size: file.size };
	if (withMessageId) entry.messageId = file.messageId;
	return entry;
}

export async function executeSendFile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);

	// Every item is checked before anything is sent: bad input never leaves half a run posted.
	const jobs: FileJob[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			jobs.push(await prepareItem(this, items[itemIndex], itemIndex));
		} catch (error) {
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failedItem(this, itemIndex, invalidInput);
		}
	}

	if (jobs.length > 0) {
		const connection = await resolveConnection(this);
		for (const job of jobs) {
			const posted: UploadedFile[] = [];
			let error: NodeApiError | undefined;
			for (const [position, file] of job.files.entries()) {
				// The caption travels with the first file only, so it is posted once.
				const target = { dialogId: job.dialogId, message: position === 0 ? job.message : '' };
				const outcome = await uploadFileToChat(this, connection, job.options, target, file);
				if (!outcome.ok) {
					error = uploadError(this, job.itemIndex, file, outcome.failure, outcome.orphan, posted, outcome.missingScope);
					break;
				}
				posted.push(outcome.file);
			}
			if (error) {
				if (!continueOnFail) throw error;
				const already = posted.length > 0 ? { files: posted.map((file) => fileOutput(file, true)) } : {};
				output[job.itemIndex] = failedItem(this, job.itemIndex, error, already);
				continue;
			}
			const several = posted.length > 1;
			output[job.itemIndex] = {
				json: {
					messageId: posted[0].messageId,
					...messagePlace(connection.portal, job.dialogId, posted[0].messageId),
					files: posted.map((file) => fileOutput(file, several)),
					...escapedBbCodeNote(job.message),
				},
				pairedItem: { item: job.itemIndex },
			};
		}
	}
	return [output.filter((entry) => entry !== undefined)];
}
