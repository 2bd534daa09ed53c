import { NodeOperationError } from 'n8n-workflow';
import type { ILoadOptionsFunctions, INodeListSearchItems, INodeListSearchResult } from 'n8n-workflow';

import { botTokenProblem } from '../shared/botToken';
import { objectOf, objectsIn } from '../shared/jsonValue';
import { callMethod, failureToNodeApiError, resolveConnection, withBotScope } from '../transport';

const PAGE_SIZE = 50;

/**
 * The Bot picker: the bots registered with this credential (imbot.v2.Bot.list), by name, filtered
 * by the search text (name or code) and paginated by offset.
 */
export async function searchBots(
	this: ILoadOptionsFunctions,
	filter?: string,
	paginationToken?: string,
): Promise<INodeListSearchResult> {
	const connection = await resolveConnection(this);
	if (connection.authentication === 'webhook') {
		const problem = botTokenProblem(connection.botToken ?? 'missing');
		if (problem) throw new NodeOperationError(this.getNode(), problem);
	}
	const offset = Number(paginationToken) > 0 ? Number(paginationToken) : 0;
	const call = await callMethod(this, connection, 'imbot.v2.Bot.list', { limit: PAGE_SIZE, offset });
	if (!call.ok) throw failureToNodeApiError(this.getNode(), withBotScope(call.failure));
	const result = objectOf(call.result);
	const names = new Map(objectsIn(result.users).map((user) => [String(user.id), String(user.name ?? '')]));
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchItems[] = [];
	for (const bot of objectsIn(result.bots)) {
		const id = String(bot.id ?? '');
		const code = String(bot.code ?? '');
		const name = names.get(id) || code;
		const label = `${name} (${code}, ${id})`;
		if (!needle || label.toLowerCase().includes(needle)) results.push({ name: label, value: id });
	}
	const hasMore = result.hasNextPage === true;
	return { results, paginationToken: hasMore ? String(offset + PAGE_SIZE) : undefined };
}
