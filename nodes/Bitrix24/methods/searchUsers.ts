import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { searchRecentList, type RecentEntry } from './searchRecentList';

function toListItem(entry: RecentEntry): INodeListSearchItems | undefined {
	const id = String(entry.user?.id ?? entry.id ?? '');
	if (entry.type !== 'user' || !/^[1-9]\d*$/.test(id)) return undefined;
	return { name: `${String(entry.title ?? entry.user?.name ?? id)} (${id})`, value: id };
}

/**
 * The person picker: the people of the user's recent private chats (im.recent.list without
 * group chats), filtered by name or ID. The "im" scope is enough; anyone else is entered By ID.
 */
export async function searchUsers(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	return await searchRecentList(this, { filter, paginationToken, params: { SKIP_CHAT: 'Y' } }, toListItem);
}
