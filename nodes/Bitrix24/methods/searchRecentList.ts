import type { IDataObject, ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { callMethod, failureToNodeApiError, resolveConnection } from '../transport';
import { objectOf, objectsIn } from '../shared/jsonValue';

/** One page of im.recent.list (the method's maximum is 200). */
const PAGE_SIZE = 50;
/** im.recent.list cannot filter by name, so a search reads a few pages per call of its own. */
const MAX_PAGES_PER_SEARCH = 4;

/** An entry of im.recent.list, as far as the pickers read it. */
export interface RecentEntry {
	id?: unknown;
	type?: unknown;
	title?: unknown;
	chat?: { dialog_id?: unknown; name?: unknown };
	user?: { id?: unknown; name?: unknown };
}

/**
 * A list search over the user's recent chats (im.recent.list), for the pickers: each entry is
 * turned into a list item (or skipped), items are filtered by the search text, and pages are
 * followed by offset. API errors surface in the editor.
 */
export async function searchRecentList(
	context: ILoadOptionsFunctions,
	search: { filter?: string; paginationToken?: string; params?: IDataObject },
	toListItem: (entry: RecentEntry) => INodeListSearchItems | undefined,
): Promise<INodeListSearchResult> {
	const connection = await resolveConnection(context);
	const needle = (search.filter ?? '').trim().toLowerCase();
	let offset = Number(search.paginationToken) > 0 ? Number(search.paginationToken) : 0;
	const results: INodeListSearchItems[] = [];
	let hasMore = false;

	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const call = await callMethod(context, connection, 'im.recent.list', {
			...search.params,
			OFFSET: offset,
			LIMIT: PAGE_SIZE,
		});
		if (!call.ok) throw failureToNodeApiError(context.getNode(), call.failure);
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
