/** `123` = private chat with user 123, `chat123` = group chat, `sg123` = workgroup/project chat. */
export const DIALOG_ID_BODY = '(?:[1-9]\\d*|chat[1-9]\\d*|sg[1-9]\\d*)';
/** The same rule anchored, for n8n's regex validation and for isDialogId. */
export const DIALOG_ID_PATTERN = `^${DIALOG_ID_BODY}$`;
const DIALOG_ID = new RegExp(DIALOG_ID_PATTERN);

export function isDialogId(value: string): boolean {
	return DIALOG_ID.test(value);
}

/** A private dialog is named by the other person's user ID (a bare number). */
export function isPrivateDialog(dialogId: string): boolean {
	return /^[1-9]\d*$/.test(dialogId);
}

/** The chat ID a group chat's dialog ID (`chat<ID>`) carries; undefined for other dialogs. */
export function chatIdOf(dialogId: string): number | undefined {
	const match = /^chat([1-9]\d*)$/.exec(dialogId);
	return match ? Number(match[1]) : undefined;
}
