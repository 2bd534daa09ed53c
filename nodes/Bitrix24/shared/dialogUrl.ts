/**
 * Reads the chat (DIALOG_ID) out of a link copied from Bitrix24, so users can paste what their
 * browser shows instead of looking up ids.
 *
 * Link forms, from the Bitrix24 sources (im module, mobile in-app routes, desktop bx:// links)
 * and the DIALOG_ID format of the REST docs (`123` user, `chat123` chat, `sg123` workgroup):
 * - web messenger: `https://portal/online/?IM_DIALOG=chat123` (also `&IM_MESSAGE=…`, any path,
 *   and the CoPilot variant `?IM_COPILOT=chat123`)
 * - desktop app: `bx://v2/portal/chat/dialogId/chat123` (also `bx://chat/dialogId/…`)
 * - a user's profile: `https://portal/company/personal/user/123/` → `123` (private chat with them)
 * - a workgroup or project, or any of its pages: `https://portal/workgroups/group/5/` → `sg5` (its chat)
 */

import { isDialogId } from './dialogId';

const QUERY_DIALOG = /[?&#](?:IM_DIALOG|IM_COPILOT)=([^&#]*)/;
const DESKTOP_DIALOG = /\/chat\/dialogId\/([^/?#]+)/;
// Only the profile page itself: "/user/1/tasks/" is a page of user 1, not a wish to chat with them.
const USER_PROFILE = /\/personal\/user\/([1-9]\d*)\/?$/;
const WORKGROUP = /\/workgroups\/group\/([1-9]\d*)(?:[/?#]|$)/;

/**
 * For the resourceLocator `url` mode's `validation` (type 'regex'): accepts every form that
 * dialogIdFromUrl understands. n8n anchors it (`^…$`), so it must match the whole link.
 */
export const DIALOG_URL_REGEX =
	'^(?:https?|bx)://[^\\s]*(?:[?&#]IM_(?:DIALOG|COPILOT)=(?:chat|sg)?[1-9]\\d*|/chat/dialogId/(?:chat|sg)?[1-9]\\d*|/personal/user/[1-9]\\d*/?(?:[?#]|$)|/workgroups/group/[1-9]\\d*)[^\\s]*';

function decode(value: string): string {
	try {
		return decodeURIComponent(value);
	} catch {
		return value;
	}
}

function asDialogId(candidate: string | undefined): string | undefined {
	if (candidate === undefined) return undefined;
	const value = decode(candidate).trim().toLowerCase();
	return isDialogId(value) ? value : undefined;
}

/** Returns the DIALOG_ID a Bitrix24 link points to, or undefined if it points to no chat. */
export function dialogIdFromUrl(url: string): string | undefined {
	const text = url.trim();
	if (!/^(?:https?|bx):\/\//i.test(text)) return undefined;

	const fromQuery = asDialogId(QUERY_DIALOG.exec(text)?.[1]);
	if (fromQuery) return fromQuery;

	const fromDesktop = asDialogId(DESKTOP_DIALOG.exec(text)?.[1]);
	if (fromDesktop) return fromDesktop;

	// Only the path counts for profile and group links: "?back=/workgroups/group/5/" is not one.
	const path = text.replace(/^[a-z]+:\/\/[^/?#]*/i, '').replace(/[?#].*$/, '');
	const user = USER_PROFILE.exec(path);
	if (user) return user[1];
	const group = WORKGROUP.exec(path);
	if (group) return `sg${group[1]}`;
	return undefined;
}
