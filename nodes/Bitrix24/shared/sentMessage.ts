/**
 * What Send outputs for a delivered message: enough to chain Update, Delete or React
 * (`messageId`), to answer in the same place (`dialogId`, `chatId`), to see what Bitrix24 got
 * (`text`, after any Markdown conversion) and to open the message (`link`, for group chats).
 */
import type { IDataObject } from 'n8n-workflow';

import { chatIdOf, isPrivateDialog } from './dialogId';

/**
 * Bitrix24's web messenger opens a dialog at `/online/?IM_DIALOG=<dialogId>` (the form its REST
 * documentation gives for links into a chat) and scrolls to a message given as `IM_MESSAGE`,
 * the form Bitrix24 itself writes into quotes and shares.
 */
export function messageLink(portal: string, dialogId: string, messageId: number): string {
	const query = new URLSearchParams({ IM_DIALOG: dialogId, IM_MESSAGE: String(messageId) });
	return `${portal.replace(/\/+$/, '')}/online/?${query.toString()}`;
}

export function sentMessageOutput(portal: string, messageId: number, params: IDataObject): IDataObject {
	const { dialogId, chatId, link } = messagePlace(portal, String(params.DIALOG_ID), messageId);
	return {
		messageId,
		dialogId,
		...(chatId !== undefined ? { chatId } : {}),
		text: String(params.MESSAGE ?? ''),
		...(link !== undefined ? { link } : {}),
	};
}

/** Where a posted message is: the same fields, by the same rules, for Send and Send File. */
export function messagePlace(
	portal: string,
	dialogId: string,
	messageId: number | null,
): { dialogId: string; chatId?: number; link?: string } {
	// A group chat's dialog ID carries its chat ID; a private dialog's chat ID is not in the answer.
	const chatId = chatIdOf(dialogId);
	// A private dialog is named by the other person's user ID, so the same link would open the
	// sender's dialog with the recipient for the sender but the recipient's notes to self for the
	// recipient: no link rather than a misleading one. Without a message ID there is nothing to open.
	const link = !isPrivateDialog(dialogId) && messageId !== null ? messageLink(portal, dialogId, messageId) : undefined;
	return { dialogId, ...(chatId !== undefined ? { chatId } : {}), ...(link !== undefined ? { link } : {}) };
}
