import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { callMethod } from '../transport/call';
import { resolveConnection } from '../transport/connection';
import { failureToNodeApiError } from '../transport/errors';
import { objectOf, objectsIn } from '../shared/jsonValue';

const PAGE_SIZE = 50;
const MAX_PAGES_PER_SEARCH = 4;

interface RecentUserEntry {
	id?: unknown;
	type?: unknown;
	title?: unknown;
	user?: { id?: unknown; name?: unknown };
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
	const connection = await resolveConnection(this);
	const needle = (filter ?? '').trim().toLowerCase();
	let offset = Number(paginationToken) > 0 ? Number(paginationToken) : 0;
	const results: INodeListSearchItems[] = [];
	let hasMore = false;

	for (let page = 0; page < MAX_PAGES_PER_SEARCH; page++) {
		const call = await callMethod(this, connection, 'im.recent.list', {
			OFFSET: offset,
			LIMIT: PAGE_SIZE,
			SKIP_CHAT: 'Y',
		});
		if (!call.ok) throw failureToNodeApiError(this.getNode(), call.failure);
		const result = objectOf(call.body.result);
		const entries: RecentUserEntry[] = objectsIn(result.items);
		for (const entry of entries) {
			const id = String(entry.user?.id ?? entry.id ?? '');
			if (entry.type !== 'user' || !/^[1-9]\d*$/.test(id)) continue;
			const name = `${String(entry.title ?? entry.user?.name ?? id)} (${id})`;
			if (!needle || name.toLowerCase().includes(needle)) results.push({ name, value: id });
		}
		offset += entries.length;
		hasMore = Boolean(result.hasMorePages ?? result.hasMore) && entries.length > 0;
		if (!hasMore || !needle || results.length >= PAGE_SIZE) break;
	}
	return { results, paginationToken: hasMore ? String(offset) : undefined };
}
