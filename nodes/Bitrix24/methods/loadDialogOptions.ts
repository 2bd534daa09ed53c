import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { searchDialogs } from './searchDialogs';

/** A multi-select lists at most this many recent chats and people (four im.recent.list pages). */
const MAX_PAGES = 4;

/**
 * The chat picker as a plain option list, for multi-selects (a resource locator holds one value):
 * the same recent chats and people as the Bitrix24 node's Dialog list, ordered by name, as a
 * multi-select's list is read (the Dialog list keeps Bitrix24's recent-first order, which its
 * search narrows).
 */
export async function getDialogs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const options: INodePropertyOptions[] = [];
	let token: string | undefined;
	for (let page = 0; page < MAX_PAGES; page++) {
		const result = await searchDialogs.call(this, undefined, token);
		for (const item of result.results) options.push({ name: item.name, value: item.value });
		token = typeof result.paginationToken === 'string' ? result.paginationToken : undefined;
		if (!token) break;
	}
	return options.sort(
		(first, second) =>
			first.name.localeCompare(second.name, undefined, { sensitivity: 'base' }) ||
			String(first.value).localeCompare(String(second.value)),
	);
}
