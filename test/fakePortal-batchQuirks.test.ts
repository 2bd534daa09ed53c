/**
 * The fake portal's batch behaves as Bitrix24's server does (reference substitution, PHP's
 * max_input_vars, a refused command's reset time in its own result_time entry only), and its
 * faults give the answers the transport must survive (partial batch answers, Retry-After, JSON
 * without the envelope). Talks to it over real HTTP with fetch.
 */
import { startFakePortal, type FakePortal } from './fakePortal';

let portal: FakePortal;

beforeAll(async () => {
	portal = await startFakePortal();
});
afterAll(async () => await portal.close());
beforeEach(() => portal.reset());

async function post(
	url: string,
	payload: unknown,
): Promise<{ status: number; headers: Headers; body: Record<string, unknown> }> {
	const response = await fetch(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(payload),
		signal: AbortSignal.timeout(5000),
	});
	return {
		status: response.status,
		headers: response.headers,
		body: (await response.json()) as Record<string, unknown>,
	};
}

const batch = async (cmd: Record<string, string>, halt = 0) => {
	const answer = await post(`${portal.webhookUrl}batch`, { halt, cmd });
	return answer.body.result as Record<string, Record<string, unknown>>;
};

describe('fake Bitrix24 portal: batch reference substitution', () => {
	it('splices a scalar into text, eating the rest up to the whitespace', async () => {
		await batch({
			c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=first',
			c1: `im.message.add?DIALOG_ID=chat1&MESSAGE=${encodeURIComponent('Order $result[c0], please check')}`,
		});
		expect(portal.messages[1].message).toBe(`Order ${portal.messages[0].id} please check`);
	});

	it('turns a value that is exactly a reference into the data itself (case-insensitive), and leaves $result without [..] alone', async () => {
		await batch({
			c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=first',
			c1: 'scope',
		});
		const result = await batch({
			c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=x',
			c1: `im.recent.list?LIMIT=${encodeURIComponent('$RESULT[c0]')}`,
			c2: `im.message.add?DIALOG_ID=chat1&MESSAGE=${encodeURIComponent('costs $result and $5')}`,
		});
		const limitSeen = portal.calls.filter((call) => call.method === 'im.recent.list').at(-1)?.params.LIMIT;
		expect(limitSeen).toBe(portal.messages[1].id);
		expect(portal.messages.at(-1)?.message).toBe('costs $result and $5');
		expect(result.result_error).toEqual([]);
	});

	it('an array spliced into text prints as "Array"', async () => {
		await batch({
			c0: 'scope',
			c1: `im.message.add?DIALOG_ID=chat1&MESSAGE=${encodeURIComponent('scopes: $result[c0]!')}`,
		});
		expect(portal.messages[0].message).toBe('scopes: Array');
	});
});

it('drops the variables of a command past max_input_vars, silently', async () => {
	const small = await startFakePortal({ maxInputVars: 3 });
	try {
		const answer = await post(`${small.webhookUrl}batch`, {
			cmd: { c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=x&ATTACH[0][MESSAGE]=a&ATTACH[1][MESSAGE]=b' },
		});
		expect((answer.body.result as Record<string, unknown>).result_error).toEqual([]);
		expect(small.messages[0].attach).toEqual([{ MESSAGE: 'a' }]);
	} finally {
		await small.close();
	}
});

it("a refused command's reset time is in its own result_time entry, not in the batch's time", async () => {
	portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 2000 });
	const before = Date.now();
	const answer = await post(`${portal.webhookUrl}batch`, {
		halt: 1,
		cmd: { c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=x' },
	});
	const sections = answer.body.result as Record<string, Record<string, { operating_reset_at: number }>>;
	expect(sections.result_time.c0.operating_reset_at * 1000).toBeGreaterThanOrEqual(before + 2000);
	expect(sections.result_time.c0.operating_reset_at * 1000).toBeLessThan(before + 10_000);
	// The batch method's own block: its window resets 10 minutes on.
	expect((answer.body.time as { operating_reset_at: number }).operating_reset_at * 1000).toBeGreaterThan(
		before + 500_000,
	);
});

it('batchPartialAnswer runs every command but lists only the first result', async () => {
	portal.inject({ kind: 'batchPartialAnswer', method: 'batch' });
	const result = await batch({
		c0: 'im.message.add?DIALOG_ID=chat1&MESSAGE=a',
		c1: 'im.message.add?DIALOG_ID=chat1&MESSAGE=b',
	});
	expect(portal.messages).toHaveLength(2);
	expect(Object.keys(result.result)).toEqual(['c0']);
	expect(result.result_error).toEqual([]);
});

it('queryLimit and jsonAnswer can carry Retry-After; jsonAnswer answers without the envelope and runs nothing', async () => {
	portal.inject({ kind: 'queryLimit', method: '*', retryAfterSeconds: 7 });
	const refused = await post(`${portal.webhookUrl}im.message.add`, { DIALOG_ID: 'chat1', MESSAGE: 'x' });
	expect([refused.status, refused.headers.get('retry-after'), refused.body.error]).toEqual([
		503,
		'7',
		'QUERY_LIMIT_EXCEEDED',
	]);

	portal.inject({ kind: 'jsonAnswer', method: '*', status: 429, body: { note: 'slow down' }, retryAfterSeconds: 3 });
	const bare = await post(`${portal.webhookUrl}im.message.add`, { DIALOG_ID: 'chat1', MESSAGE: 'x' });
	expect([bare.status, bare.headers.get('retry-after'), bare.body]).toEqual([429, '3', { note: 'slow down' }]);
	expect(portal.messages).toHaveLength(0);
});

it('jsonAnswerAfterCreate creates the message, then answers the given JSON', async () => {
	portal.inject({ kind: 'jsonAnswerAfterCreate', status: 200, body: { time: {} } });
	const answer = await post(`${portal.webhookUrl}im.message.add`, { DIALOG_ID: 'chat1', MESSAGE: 'x' });
	expect([answer.status, answer.body]).toEqual([200, { time: {} }]);
	expect(portal.messages).toHaveLength(1);
});
