import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { isDialogId } from '../shared/dialogId';
import { searchRecentList, type RecentEntry } from './searchRecentList';

function toListItem(entry: RecentEntry): INodeListSearchItems | undefined {
	const dialogId = entry.type === 'chat' ? String(entry.chat?.dialog_id ?? entry.id ?? '') : String(entry.id ?? '');
	if (!isDialogId(dialogId)) return undefined;
	const title = String(entry.title ?? entry.chat?.name ?? entry.user?.name ?? dialogId);
	const kind = entry.type === 'user' ? 'person' : dialogId.startsWith('sg') ? 'workgroup' : 'chat';
	return { name: `${title} (${kind}, ${dialogId})`, value: dialogId };
}

/**
 * The chat picker: the user's recent chats and people from im.recent.list, filtered by the
 * search text (title or dialog ID) and paginated by offset.
 */
export async function searchDialogs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecentList(this, { filter, paginationToken }, toListItem);
}
