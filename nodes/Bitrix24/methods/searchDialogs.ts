import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { isDialogId } from '../shared/dialogId';
import { callMethod } from '../transport/call';
import { resolveConnection } from '../transport/connection';
import { failureToNodeApiError } from '../transport/errors';
import { objectOf, objectsIn } from '../shared/jsonValue';

/** One page of im.recent.list (the method's maximum is 200). */
const PAGE_SIZE = 50;
/** im.recent.list cannot filter by name, so a search reads a few pages per call of its own. */
const MAX_PAGES_PER_SEARCH = 4;

interface RecentEntry {
	id?: unknown;
	type?: unknown;
	title?: unknown;
	chat?: { dialog_id?: unknown; name?: unknown };
	user?: { name?: unknown };
}

function toListItem(entry: RecentEntry): INodeListSearchItems | undefined {
	const dialogId = entry.type === 'chat' ? String(entry.chat?.dialog_id ?? entry.id ?? '') : String(entry.id ?? '');
	if (!isDialogId(dialogId)) return undefined;
	const title = String(entry.title ?? entry.chat?.name ?? entry.user?.name ?? dialogId);
	const kind = entry.type === 'user' ? 'person' : dialogId.startsWith('sg') ? 'workgroup' : 'chat';
	return { name: `${title} (${kind}, ${dialogId})`, value: dialogId };
}

/**
 * The chat picker: the user's recent chats and people from im.recent.list, filtered by the
 * search text (title or dialog ID) and paginated by offset. API errors surface in the editor.
 */
export async function searchDialogs(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const connection = await resolveConnection(this);
	const needle = (filter ?? '').trim().toLowerCase();
	let offset = Number(paginationToken) > 0 ? Number(paginationToken) : 0;
	const results: INodeListSearchItems[] = [];
	let hasMore = false;

	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const call = await callMethod(this, connection, 'im.recent.list', { OFFSET: offset, LIMIT: PAGE_SIZE });
		if (!call.ok) throw failureToNodeApiError(this.getNode(), call.failure);
		const result = objectOf(call.result);
		const entries: RecentEntry[] = objectsIn(result.items);
		for (const entry of entries) {
			const item = toListItem(entry);
			if (item && (!needle || item.name.toLowerCase().includes(needle))) results.push(item);
		}
		offset += entries.length;
		hasMore = Boolean(result.hasMorePages ?? result.hasMore) && entries.length > 0;
		// Without a filter one page is one page; with a filter keep reading until something matches.
		if (!hasMore || !needle || results.length >= PAGE_SIZE) break;
	}
	return { results, paginationToken: hasMore ? String(offset) : undefined };
}
