import type { IDisplayOptions, IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readTextParameter } from '../shared/textValue';
import { markdownToBbCode } from './markdown/markdownToBbCode';

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
				description: 'Converted to BB-code: bold, italic, links, lists, headings, quotes, code',
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
