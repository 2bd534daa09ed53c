import { runBitrix24, searchInEditor } from './harness/runWorkflow';
import { sendParameters, useFakePortal, webhookCredentials } from './harness/fixtures';

const portal = useFakePortal();

const search = (filter?: string, paginationToken?: string) =>
	searchInEditor(
		'searchDialogs',
		{ credentials: webhookCredentials(portal()), parameters: sendParameters() },
		filter,
		paginationToken,
	);

describe('chat picker (Dialog → From List)', () => {
	it('lists recent chats and people page by page, each value a dialog ID', async () => {
		const first = await search();
		expect(first.results).toHaveLength(50);
		expect(first.paginationToken).toBe('50');
		for (const item of first.results) {
			expect(String(item.value)).toMatch(/^(\d+|chat\d+|sg\d+)$/);
			expect(item.name).toMatch(/\((person|chat|workgroup), (\d+|chat\d+|sg\d+)\)$/);
		}
		const second = await search(undefined, first.paginationToken);
		const third = await search(undefined, second.paginationToken);
		expect(third.paginationToken).toBeUndefined();
		const all = [...first.results, ...second.results, ...third.results].map((item) => item.value);
		expect(all).toHaveLength(120);
		expect(new Set(all).size).toBe(120);
		// Pages follow the portal's order: the picker shows what im.recent.list returned.
		const calls = portal().calls.filter((call) => call.method === 'im.recent.list');
		expect(calls.map((call) => [Number(call.params.OFFSET), Number(call.params.LIMIT)])).toEqual([
			[0, 50],
			[50, 50],
			[100, 50],
		]);
	});

	it('filters by the search text across pages, case-insensitively, with non-ASCII titles', async () => {
		const all = (await search()).results;
		// A title whose first word is Cyrillic, searched in upper case: the match then needs
		// non-ASCII case folding. No fallback: without such a title the test fails.
		const target = all.find((item) => /^[А-Яа-яЁё]+ /.test(item.name));
		if (target === undefined) throw new Error('the first page has no title starting with a Cyrillic word');
		const word = target.name.split(' ')[0].toUpperCase();
		expect(word).toMatch(/^[А-ЯЁ]+$/);
		expect(target.name).not.toContain(word);
		const found = await search(word);
		expect(found.results.length).toBeGreaterThan(0);
		expect(found.results.every((item) => item.name.toLowerCase().includes(word.toLowerCase()))).toBe(true);
		expect(found.results.map((item) => item.value)).toContain(target.value);
	});

	it('finds an entry beyond the first page when searching by dialog ID', async () => {
		const found = await search('chat80');
		expect(found.results.map((item) => item.value)).toEqual(['chat80']);
	});

	it('surfaces API errors instead of an empty list', async () => {
		portal().setWebhookScopes(['user']);
		await expect(search()).rejects.toThrow(/insufficient_scope/);
	});

	it('a value picked from the list is sent as DIALOG_ID', async () => {
		const picked = (await search()).results[1];
		const result = await runBitrix24({
			credentials: webhookCredentials(portal()),
			parameters: sendParameters({ dialogId: { __rl: true, mode: 'list', value: picked.value } }),
		});
		expect(result.error).toBeUndefined();
		expect(portal().messages[0].dialogId).toBe(String(picked.value));
	});
});
