import type { IDataObject, IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readTextParameter } from '../shared/textValue';
import { ZERO_WIDTH_SPACE } from './bbCodeText';
import { markdownToBbCode } from './markdownToBbCode';

/**
 * Message Format, for every operation that writes a message text (Send, Update, Send File's
 * caption). It sits above the text it describes, so that the text field below can show the
 * matching hint. Bitrix24 renders BB-code only; Markdown (what AI agents usually write) is
 * converted before sending.
 */
export function messageFormatProperty(show: IDisplayOptions['show'], whatIsWritten: string): INodeProperties {
	return {
		displayName: 'Message Format',
		name: 'messageFormat',
		type: 'options',
		default: 'bbcode',
		displayOptions: { show },
		description: `How ${whatIsWritten} is written. Bitrix24 renders BB-code; Markdown (what AI agents usually write) is converted to BB-code before sending.`,
		options: [
			{ name: 'BB-Code', value: 'bbcode', description: 'Sent as is, e.g. [b]bold[/b]' },
			{
				name: 'Markdown',
				value: 'markdown',
				description:
					'Converted to BB-code: bold, italic, links, lists, headings, quotes, code. BB-code tags already in the text, e.g. [b], are shown as typed (the output says escapedBbCode: true).',
			},
		],
	};
}

/**
 * The item's Message text as Bitrix24 must receive it: BB-code, converted from Markdown if chosen.
 * An object or list from an expression fails naming the field and item.
 */
export function readMessageText(context: IExecuteFunctions, itemIndex: number): string {
	const text = readTextParameter(context, itemIndex, 'message', 'Message');
	const format = context.getNodeParameter('messageFormat', itemIndex, 'bbcode');
	return format === 'markdown' ? markdownToBbCode(text) : text;
}

/** How the Markdown conversion keeps a `[b]` typed in the text from becoming formatting. */
const ESCAPED_TAG_START = `[${ZERO_WIDTH_SPACE}`;

/**
 * `{ escapedBbCode: true }` when a sent text has BB-code tags shown as typed (Markdown keeps
 * `[b]` literal, with an invisible mark the output would otherwise hide), else nothing.
 */
export function escapedBbCodeNote(...sentTexts: unknown[]): IDataObject {
	const escaped = sentTexts.some((text) => typeof text === 'string' && text.includes(ESCAPED_TAG_START));
	return escaped ? { escapedBbCode: true } : {};
}
