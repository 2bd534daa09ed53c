import { NodeOperationError } from 'n8n-workflow';
import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeParameterResourceLocator,
	INodeProperties,
	NodeApiError,
} from 'n8n-workflow';

import { dialogIdProperty, isDialogId } from '../shared/dialogId';
import { bitrix24CodeOf, failureToNodeApiError } from '../transport/errors';
import { resolveConnection } from '../transport/connection';
import { attachBuilderProperties, buildAttach } from './editor/attachBuilder';
import type { AttachBuilderFields } from './editor/attachBuilder';
import { BuilderInputError, sortedByDisplayName } from './editor/builderValues';
import { dialogIdFromUrl } from './editor/dialogUrl';
import { buildKeyboard, keyboardBuilderProperty } from './editor/keyboardBuilder';
import { markdownToBbCode } from './editor/markdownToBbCode';
import { buildMenu, menuBuilderProperty } from './editor/menuBuilder';
import { messageParts } from './messageParts';
import type { LongTextMode } from './messageParts';
import { sendItemsInOrder, summarizeItem } from './partsRunner';
import type { ItemCommands } from './partsRunner';
import { readSendOptions, sendOptionsProperty } from './sendOptions';
import { parseJsonField, validateAttach, validateKeyboard, validateMenu } from './richContent';
import type { RejectContent } from './richContent';

const showForSend = { show: { resource: ['message'], operation: ['send'] } };

/** The switch between building a structure in the editor and giving it as JSON. */
function inputModeProperty(name: string, label: string, what: string): INodeProperties {
	return {
		displayName: `${label} (Build or JSON)`,
		name,
		type: 'options',
		default: 'json',
		description: `Whether to build the ${what} in the editor or give it as JSON`,
		options: [
			{ name: 'Build in Editor', value: 'builder' },
			{ name: 'JSON', value: 'json' },
		],
	};
}

export const sendDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: showForSend },
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		displayOptions: showForSend,
		placeholder: '[b]Build passed[/b] on main',
		description:
			'The text to post. Bitrix24 renders BB-code, not Markdown: [b]bold[/b], [i]italic[/i], [s]strike[/s], links, [user=ID] mentions, [code] blocks; new lines are kept. To write Markdown instead, set Options → Message Format to Markdown. May be empty only when an attachment is given.',
		hint: 'BB-code, e.g. [b]bold[/b], [url=https://example.com]link[/url], [user=1]name[/user]. A text over 20,000 characters is sent as several messages (Options → Long Text).',
	},
	{
		displayName: 'Additional Fields',
		name: 'additionalFields',
		type: 'collection',
		placeholder: 'Add Field',
		default: {},
		displayOptions: showForSend,
		// Sorted by display name at run time too: the builders' fields come from other files.
		options: sortedByDisplayName<INodeProperties>([
			{
				displayName: 'Attachment (JSON)',
				name: 'attach',
				type: 'json',
				default: '',
				displayOptions: { hide: { attachMode: ['builder'] } },
				description:
					'Rich blocks under the message (ATTACH): a list of blocks, or {"COLOR_TOKEN": "primary", "BLOCKS": [...]}. Block types: MESSAGE, LINK, USER, GRID, IMAGE, FILE, DELIMITER.',
				placeholder: '[{"MESSAGE": "Deployed"}, {"LINK": {"NAME": "Release notes", "LINK": "https://example.com"}}]',
			},
			...attachBuilderProperties,
			inputModeProperty('attachMode', 'Attachment', 'attachment'),
			{
				displayName: 'Keyboard (JSON)',
				name: 'keyboard',
				type: 'json',
				default: '',
				displayOptions: { hide: { keyboardMode: ['builder'] } },
				description:
					'Buttons under the message (KEYBOARD): a list of buttons or {"BUTTONS": [...]}. Each button needs TEXT and LINK, ACTION + ACTION_VALUE, COMMAND or APP_ID; {"TYPE": "NEWLINE"} starts a new row.',
				placeholder: '[{"TEXT": "Open", "LINK": "https://example.com"}]',
			},
			keyboardBuilderProperty,
			inputModeProperty('keyboardMode', 'Keyboard', 'keyboard'),
			{
				displayName: 'Menu (JSON)',
				name: 'menu',
				type: 'json',
				default: '',
				displayOptions: { hide: { menuMode: ['builder'] } },
				description:
					'Items added to the message context menu (MENU): a list of items or {"ITEMS": [...]}, each with TEXT and an action like a keyboard button',
				placeholder: '[{"TEXT": "Copy ID", "ACTION": "COPY", "ACTION_VALUE": "42"}]',
			},
			inputModeProperty('menuMode', 'Menu', 'context menu'),
			menuBuilderProperty,
			{
				displayName: 'Reply To Message ID',
				name: 'replyId',
				type: 'number',
				default: 0,
				description: 'Post as a reply to this message (REPLY_ID); it must be in the same chat',
			},
			{
				displayName: 'System Message',
				name: 'system',
				type: 'boolean',
				default: false,
				description: 'Whether to post as a system message (SYSTEM), shown without an author',
			},
			{
				displayName: 'URL Preview',
				name: 'urlPreview',
				type: 'boolean',
				default: true,
				description: 'Whether Bitrix24 turns links in the text into rich previews (URL_PREVIEW)',
			},
		]),
	},
	{ ...sendOptionsProperty, displayOptions: showForSend },
];

interface RichField {
	name: 'attach' | 'keyboard' | 'menu';
	param: 'ATTACH' | 'KEYBOARD' | 'MENU';
	label: string;
	/** The "Build in Editor" / "JSON" switch, and the builder's own fields. */
	mode: 'attachMode' | 'keyboardMode' | 'menuMode';
	builderField: string;
	build: (fields: IDataObject) => unknown;
	validate: (value: unknown, reject: RejectContent) => unknown;
}

const RICH_FIELDS: RichField[] = [
	{
		name: 'attach',
		param: 'ATTACH',
		label: 'Attachment',
		mode: 'attachMode',
		builderField: 'attachBlocks',
		build: (fields) => buildAttach(fields as AttachBuilderFields),
		validate: validateAttach,
	},
	{
		name: 'keyboard',
		param: 'KEYBOARD',
		label: 'Keyboard',
		mode: 'keyboardMode',
		builderField: 'keyboardButtons',
		build: (fields) => buildKeyboard(fields.keyboardButtons),
		validate: validateKeyboard,
	},
	{
		name: 'menu',
		param: 'MENU',
		label: 'Menu',
		mode: 'menuMode',
		builderField: 'menuItems',
		build: (fields) => buildMenu(fields.menuItems),
		validate: validateMenu,
	},
];

/** Reads the Dialog field in any of its modes: a picked or typed ID, or a chat link. */
function readDialogId(context: IExecuteFunctions, itemIndex: number): string {
	const locator = context.getNodeParameter('dialogId', itemIndex) as INodeParameterResourceLocator | string;
	if (typeof locator !== 'object' || locator === null) return String(locator ?? '').trim();
	const value = String(locator.value ?? '').trim();
	if (locator.mode === 'url') return dialogIdFromUrl(value) ?? value;
	return value;
}

/**
 * Reads and checks one item's fields; throws a NodeOperationError naming the field and item.
 * Returns one parameter set per message: several when a long text is split.
 */
function buildParams(context: IExecuteFunctions, itemIndex: number): IDataObject[] {
	const node = context.getNode();
	const invalid = (field: string, problem: string) =>
		new NodeOperationError(node, `Invalid "${field}" in item ${itemIndex}: ${problem}`, { itemIndex });

	const dialogId = readDialogId(context, itemIndex);
	if (!isDialogId(dialogId)) {
		throw invalid(
			'Dialog',
			`"${dialogId.slice(0, 40)}" is not a dialog ID. Use a user ID (123), chat123 for a group chat or sg123 for a workgroup chat`,
		);
	}
	const text = String(context.getNodeParameter('message', itemIndex, '') ?? '');
	const format = context.getNodeParameter('options.messageFormat', itemIndex, 'bbcode') as string;
	// Agents write Markdown; Bitrix24 only renders BB-code.
	const message = format === 'markdown' ? markdownToBbCode(text) : text;
	const fields = context.getNodeParameter('additionalFields', itemIndex, {}) as IDataObject;

	const params: IDataObject = { DIALOG_ID: dialogId, MESSAGE: message };
	for (const field of RICH_FIELDS) {
		const reject: RejectContent = (path, problem) => {
			throw invalid(field.label, path ? `${path} ${problem}` : problem);
		};
		let parsed: unknown;
		if (fields[field.mode] === 'builder') {
			if (fields[field.builderField] === undefined) continue;
			try {
				parsed = field.build(fields);
			} catch (error) {
				if (error instanceof BuilderInputError) reject('', error.message);
				throw invalid(field.label, String(error));
			}
		} else {
			if (fields[field.name] === undefined) continue;
			parsed = parseJsonField(fields[field.name], field.label, reject);
		}
		if (parsed === undefined || parsed === null) continue;
		params[field.param] = field.validate(parsed, reject) as IDataObject;
	}
	if (message.trim() === '' && params.ATTACH === undefined) {
		throw invalid('Message', 'the text is empty and there is no attachment. Write a message or add an attachment');
	}
	if (fields.system !== undefined) params.SYSTEM = fields.system ? 'Y' : 'N';
	if (fields.urlPreview !== undefined) params.URL_PREVIEW = fields.urlPreview ? 'Y' : 'N';
	// The editor puts 0 in the field when it is added: 0 or empty means "not a reply".
	if (fields.replyId !== undefined && fields.replyId !== null && fields.replyId !== 0 && fields.replyId !== '' && fields.replyId !== '0') {
		const replyId = Number(fields.replyId);
		if (!Number.isSafeInteger(replyId) || replyId <= 0) {
			throw invalid('Reply To Message ID', `"${String(fields.replyId)}" is not a positive whole number`);
		}
		params.REPLY_ID = replyId;
	}
	const longText = context.getNodeParameter('options.longText', itemIndex, 'split') as LongTextMode;
	return messageParts(params, longText, (field, problem) => {
		throw invalid(field, problem);
	});
}

export async function executeSend(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const continueOnFail = this.continueOnFail();
	const output: INodeExecutionData[] = new Array(items.length);

	// "Continue (using error output)" routes items by their `error`; "Continue" would replace the
	// json of such an item with {error} alone, so there the code travels in the json only.
	const routeToErrorOutput = this.getNode().onError === 'continueErrorOutput';
	const failed = (itemIndex: number, error: NodeApiError | NodeOperationError): INodeExecutionData => ({
		json: { error: error.message, code: bitrix24CodeOf(error) ?? 'INVALID_PARAMETER' },
		...(routeToErrorOutput ? { error } : {}),
		pairedItem: { item: itemIndex },
	});

	// Every item is checked before anything is sent: bad input never leaves half a run posted.
	const toSend: ItemCommands[] = [];
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		try {
			toSend.push({ itemIndex, commands: buildParams(this, itemIndex).map((params) => ({ itemIndex, params })) });
		} catch (error) {
			// NodeOperationError hands back the error it is given: this only satisfies the types.
			const invalidInput = new NodeOperationError(this.getNode(), error as Error, { itemIndex });
			if (!continueOnFail) throw invalidInput;
			output[itemIndex] = failed(itemIndex, invalidInput);
		}
	}

	if (toSend.length > 0) {
		const connection = await resolveConnection(this);
		const options = readSendOptions(this, continueOnFail);
		const outcomes = await sendItemsInOrder(this, connection, 'im.message.add', toSend, options);
		for (const { itemIndex, commands } of toSend) {
			const { messageIds, failure, complete } = summarizeItem(commands, outcomes);
			if (failure) {
				const error = failureToNodeApiError(this.getNode(), failure, itemIndex);
				if (!continueOnFail) throw error;
				output[itemIndex] = failed(itemIndex, error);
				if (messageIds.length > 0) output[itemIndex].json.messageIds = messageIds;
				continue;
			}
			if (!complete) continue; // not sent: an earlier item stopped the run
			output[itemIndex] = {
				json: {
					messageId: messageIds[0],
					...(commands.length > 1 ? { messageIds } : {}),
					dialogId: String(commands[0].params.DIALOG_ID),
				},
				pairedItem: { item: itemIndex },
			};
		}
	}
	return [output.filter((entry) => entry !== undefined)];
}
