import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { BinaryInputError, binaryFilesOf, binaryPropertyNames } from '../upload/binaryFiles';
import type { BinaryFile } from '../upload/binaryFiles';
import { bodyWithFile } from '../upload/chatUpload';
import { readSendFileOptions, sendFileOptionsProperty } from '../upload/sendFileOptions';
import type { SendFileOptions } from '../upload/sendFileOptions';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';
import { failedItem } from '../runner/runOperation';
import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInputMessage, readDialogIdField } from '../shared/itemInput';
import { objectOf } from '../shared/jsonValue';
import { callMethod, failureToNodeApiError } from '../transport';
import type { Bitrix24Failure } from '../transport';
import { resolveBots } from '../runner/botField';

const show = { resource: ['bot'], operation: ['sendFile'] };

export const sendFileDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: { show } },
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		default: 'data',
		required: true,
		displayOptions: { show },
		placeholder: 'data',
		hint: 'The name of the binary property holding the file. Several names separated by commas send several files.',
		description:
			'Binary property of the input item that holds the file. Each file is its own message; at most 100 MB per file.',
	},
	messageFormatProperty(show, 'the caption'),
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 2 },
		default: '',
		displayOptions: { show },
		description: 'Optional caption posted with the (first) file, in the Message Format chosen above',
	},
	{ ...sendFileOptionsProperty, displayOptions: { show } },
];

interface FileJob {
	itemIndex: number;
	botId: number;
	dialogId: string;
	message: string;
	files: BinaryFile[];
	options: SendFileOptions;
}

interface PostedFile {
	id: number;
	name: string;
	size: number;
	messageId: number;
}

const json = (value: unknown) => JSON.stringify(value);

/** imbot.v2.File.upload: uploads, attaches to the chat and posts the message in one call, as the bot. */
async function uploadAsBot(
	context: IExecuteFunctions,
	connection: Awaited<ReturnType<typeof resolveBots>>['connection'],
	job: FileJob,
	file: BinaryFile,
	caption: string,
): Promise<{ ok: true; file: PostedFile; chatId?: number } | { ok: false; failure: Bitrix24Failure }> {
	const fields = `{"name":${json(file.fileName)},${caption !== '' ? `"message":${json(caption)},` : ''}"content":"`;
	const body = await bodyWithFile(
		file,
		`{"botId":${job.botId},"dialogId":${json(job.dialogId)},"fields":${fields}`,
		'"}}',
	);
	if ('failure' in body) return { ok: false, failure: body.failure };
	// Never resent once it may have run: the file would be posted twice.
	const answer = await callMethod(context, connection, 'imbot.v2.File.upload', body, {
		...job.options,
		idempotent: false,
	});
	if (!answer.ok) return { ok: false, failure: answer.failure };
	const result = objectOf(answer.result);
	const uploaded = objectOf(result.file);
	const chatId = Number(result.chatId);
	return {
		ok: true,
		file: {
			id: Number(uploaded.id),
			name: typeof uploaded.name === 'string' ? uploaded.name : file.fileName,
			size: Number(uploaded.size ?? file.size),
			messageId: Number(result.messageId),
		},
		...(Number.isSafeInteger(chatId) && chatId > 0 ? { chatId } : {}),
	};
}

export async function executeBotSendFile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);
	const bots = await resolveBots(this);

	const jobs: FileJob[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			const botId = bots.botIdFor(itemIndex);
			const dialogId = readDialogIdField(this, itemIndex);
			const options = readSendFileOptions(this, itemIndex);
			const message = readMessageText(this, itemIndex).trim();
			const names = binaryPropertyNames(this.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
			let files: BinaryFile[];
			try {
				files = await binaryFilesOf(this, items[itemIndex], itemIndex, names, options.fileName);
			} catch (error) {
				if (!(error instanceof BinaryInputError)) {
					throw new NodeOperationError(this.getNode(), error as Error, { itemIndex });
				}
				throw new NodeOperationError(this.getNode(), invalidInputMessage(itemIndex, error.field, error.message), {
					itemIndex,
				});
			}
			jobs.push({ itemIndex, botId, dialogId, message, files, options });
		} catch (error) {
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failedItem(this, itemIndex, invalidInput);
		}
	}

	for (const job of jobs) {
		const posted: PostedFile[] = [];
		let chatId: number | undefined;
		let failure: Bitrix24Failure | undefined;
		for (const [position, file] of job.files.entries()) {
			const outcome = await uploadAsBot(this, bots.connection, job, file, position === 0 ? job.message : '');
			if (!outcome.ok) {
				failure = outcome.failure;
				break;
			}
			posted.push(outcome.file);
			chatId ??= outcome.chatId;
		}
		if (failure) {
			const error = failureToNodeApiError(this.getNode(), failure, job.itemIndex);
			if (posted.length > 0) {
				error.message = `${error.message}. Already posted from item ${job.itemIndex}: ${posted.map((file) => `"${file.name}" (message ${file.messageId})`).join(', ')}`;
			}
			if (!continueOnFail) throw error;
			const already: IDataObject = posted.length > 0 ? { files: posted as unknown as IDataObject[] } : {};
			output[job.itemIndex] = failedItem(this, job.itemIndex, error, already);
			continue;
		}
		output[job.itemIndex] = {
			json: {
				messageId: posted[0].messageId,
				dialogId: job.dialogId,
				...(chatId !== undefined ? { chatId } : {}),
				botId: job.botId,
				...escapedBbCodeNote(job.message),
				files: posted.map(({ id, name, size, messageId }) =>
					posted.length > 1 ? { id, name, size, messageId } : { id, name, size },
				),
			},
			pairedItem: { item: job.itemIndex },
		};
	}
	return [output.filter((entry) => entry !== undefined)];
}
