import type { IDataObject, INodeProperties } from 'n8n-workflow';

import { richFieldProperties } from './richFields';

/**
 * The attachment and keyboard entries of bot messages: the same builders as Send. imbot.v2 has no
 * context menu, so Menu is left out; the keyboard builder's "Command for a Chat Bot" button is the
 * one Bitrix24 routes back to the bot (ONIMBOTV2COMMANDADD).
 */
export function botRichFieldProperties(
	show: Record<string, string[]>,
	options: { allowRemove?: boolean } = {},
): INodeProperties[] {
	return richFieldProperties({ ...options, displayOptions: { show }, only: ['attach', 'keyboard'] });
}

/**
 * KEYBOARD as imbot.v2 wants it: `{BOT_ID, BUTTONS}`. Without BOT_ID a press "may not be routed"
 * (message-keyboards.md), so it is always set to the sending bot. `N` (remove) stays as is.
 */
export function keyboardForBot(keyboard: unknown, botId: number): unknown {
	if (keyboard === 'N') return keyboard;
	if (Array.isArray(keyboard)) return { BOT_ID: botId, BUTTONS: keyboard };
	if (keyboard !== null && typeof keyboard === 'object') return { ...(keyboard as IDataObject), BOT_ID: botId };
	return keyboard;
}

/**
 * The `fields` of a bot message from the im.message.add parameters the Send pipeline builds
 * (MESSAGE, ATTACH, KEYBOARD, SYSTEM, URL_PREVIEW, REPLY_ID): one reading of the editor's fields
 * and one long-text split for both APIs.
 */
export function botMessageFields(params: IDataObject, botId: number): IDataObject {
	const fields: IDataObject = {};
	if (params.MESSAGE !== undefined) fields.message = params.MESSAGE;
	if (params.ATTACH !== undefined) fields.attach = params.ATTACH;
	if (params.KEYBOARD !== undefined) fields.keyboard = keyboardForBot(params.KEYBOARD, botId) as IDataObject;
	if (params.SYSTEM !== undefined) fields.system = params.SYSTEM === 'Y';
	if (params.URL_PREVIEW !== undefined) fields.urlPreview = params.URL_PREVIEW === 'Y';
	if (params.REPLY_ID !== undefined) fields.replyId = params.REPLY_ID;
	return fields;
}

export const urlPreviewProperty: INodeProperties = {
	displayName: 'URL Preview',
	name: 'urlPreview',
	type: 'boolean',
	default: true,
	description: 'Whether Bitrix24 turns links in the text into rich previews',
};
