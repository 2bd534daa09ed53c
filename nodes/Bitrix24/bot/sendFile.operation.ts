import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { BinaryInputError, binaryFilesOf, binaryPropertyNames } from '../upload/binaryFiles';
import type { BinaryFile } from '../upload/binaryFiles';
import { bodyWithFile } from '../upload/chatUpload';
import { escapedBbCodeNote, messageFormatProperty, readMessageText } from '../text/messageFormat';
import { botStage } from '../runner/botCalls';
import { readFileName, sendFileOptions } from '../runner/fileOptions';
import { optionsProperty } from '../runner/options';
import { itemNodeError, oneItemAtATime, runPipeline } from '../runner/pipeline';
import type { PipelineRun } from '../runner/pipeline';
import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { objectOf } from '../shared/jsonValue';
import { callMethod, failureToNodeApiError } from '../transport';
import type { Bitrix24Connection, Bitrix24Failure, CallSettings } from '../transport';

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
	optionsProperty(show, sendFileOptions),
];

interface FileJob {
	botId: number;
	dialogId: string;
	message: string;
	files: BinaryFile[];
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
	connection: Bitrix24Connection,
	settings: CallSettings,
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
		...settings,
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

/** Reads and checks one item; throws naming the field and the item. */
async function prepareItem(run: PipelineRun, itemIndex: number, botId: number): Promise<FileJob> {
	const { context } = run;
	const dialogId = readDialogIdField(context, itemIndex);
	const fileName = readFileName(context, itemIndex);
	const message = readMessageText(context, itemIndex).trim();
	const names = binaryPropertyNames(context.getNodeParameter('binaryPropertyName', itemIndex, 'data'));
	try {
		const files = await binaryFilesOf(context, run.items[itemIndex], itemIndex, names, fileName);
		return { botId, dialogId, message, files };
	} catch (error) {
		if (error instanceof BinaryInputError) throw invalidInput(context, itemIndex, error.field, error.message);
		throw itemNodeError(context, error, itemIndex);
	}
}

export async function executeBotSendFile(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runPipeline(this, {
		options: sendFileOptions,
		...botStage,
		prepare: prepareItem,
		send: oneItemAtATime(async (run, job, itemIndex) => {
			const connection = await run.connection();
			const posted: PostedFile[] = [];
			let chatId: number | undefined;
			for (const [position, file] of job.files.entries()) {
				const caption = position === 0 ? job.message : '';
				const outcome = await uploadAsBot(run.context, connection, run.settings(), job, file, caption);
				if (!outcome.ok) return { error: postError(run, itemIndex, outcome.failure, posted), ...alreadyPosted(posted) };
				posted.push(outcome.file);
				chatId ??= outcome.chatId;
			}
			return {
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
			};
		}),
	});
}

function alreadyPosted(posted: PostedFile[]): { extra?: IDataObject } {
	return posted.length > 0 ? { extra: { files: posted as unknown as IDataObject[] } } : {};
}

/** The error of a file that failed, naming the files of the item already posted. */
function postError(run: PipelineRun, itemIndex: number, failure: Bitrix24Failure, posted: PostedFile[]) {
	const notes =
		posted.length > 0
			? [
					`Already posted from item ${itemIndex}: ${posted.map((file) => `"${file.name}" (message ${file.messageId})`).join(', ')}`,
				]
			: [];
	return failureToNodeApiError(run.context.getNode(), failure, itemIndex, { notes });
}
