/**
 * The fake portal must itself behave like Bitrix24 (per /work/shared/reference/bitrix24-facts.md),
 * or every test built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { startFakePortal, type FakePortal } from './fakePortal';
import { parsePhpQuery, parsePhpQueryToMap, type PhpArrayMap } from './fakePortal/phpQuery';

interface Answer {
	status: number;
	contentType: string;
	body: Record<string, unknown>;
	text: string;
}

async function send(url: string, init: RequestInit = {}): Promise<Answer> {
	const response = await fetch(url, { signal: AbortSignal.timeout(5000), ...init });
	const text = await response.text();
	let body: Record<string, unknown> = {};
	try {
		body = JSON.parse(text) as Record<string, unknown>;
	} catch {
		body = {};
	}
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		body,
		text,
	};
}

function postJson(
	url: string,
	payload: unknown,
	headers: Record<string, string> = {},
): Promise<Answer> {
	return send(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(payload),
	});
}

function postForm(
	url: string,
	form: string,
	headers: Record<string, string> = {},
): Promise<Answer> {
	return send(url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: form,
	});
}

describe('parsePhpQuery (PHP parse_str)', () => {
	it.each<[string, Record<string, unknown>]>([
		['a=1&b=2', { a: '1', b: '2' }],
		['a=x%26y%3Dz&b=%5B%5D', { a: 'x&y=z', b: '[]' }],
		['a=1+2%2B3&c=%zz%4', { a: '1 2+3', c: '%zz%4' }],
		['m=line1%0Aline2%0D%0A', { m: 'line1\nline2\r\n' }],
		['t=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%F0%9F%98%80', { t: 'Привет 😀' }],
		['raw=Привет', { raw: 'Привет' }],
		['a=b=c&flag&&=lost&%20lead=1', { a: 'b=c', flag: '', lead: '1' }],
		['a.b c=1&x[y.z]=2', { a_b_c: '1', x: { 'y.z': '2' } }],
		[
			'ATTACH[0][MESSAGE]=x&ATTACH[1][LINK][LINK]=https%3A%2F%2Fe.x',
			{ ATTACH: [{ MESSAGE: 'x' }, { LINK: { LINK: 'https://e.x' } }] },
		],
		[
			'KEYBOARD[BUTTONS][0][TEXT]=Go&KEYBOARD[BUTTONS][0][LINK]=%2Fa',
			{ KEYBOARD: { BUTTONS: [{ TEXT: 'Go', LINK: '/a' }] } },
		],
		['a[]=1&a[]=2&a[5]=x&a[]=y', { a: { 0: '1', 1: '2', 5: 'x', 6: 'y' } }],
		['a[ ]=1&a[ ]=2&a[ k]=3', { a: { 0: '1', 1: '2', ' k': '3' } }],
		['n[-5]=a&n[]=b', { n: { '-5': 'a', '-4': 'b' } }],
		['k[01]=a&k[1]=b&k[-0]=c', { k: { '01': 'a', 1: 'b', '-0': 'c' } }],
		['a[b.c=1&d[e][f=2&g[h]tail=3', { a_b_c: '1', d: { e: '2' }, g: { h: '3' } }],
		['a%5Bb%5D%5Bc%5D=1', { a: { b: { c: '1' } } }],
		['a=1&a[x]=2&b[x]=1&b=2', { a: { x: '2' }, b: '2' }],
		['nul%00cut=1&v=a%00b', { nul: '1', v: 'a\u0000b' }],
		['[x]=1&=2&++=3', {}],
		['..Host-x=1&__Host-y=2', { '__Host-y': '2' }],
	])('%s', (query, expected) => {
		expect(parsePhpQuery(query)).toEqual(expected);
	});

	it('keeps PHP key order, integer keys included, in the ordered form', () => {
		const array = parsePhpQueryToMap('a[x]=1&a[0]=2&a[y]=3').get('a') as PhpArrayMap;
		expect([...array.keys()]).toEqual(['x', '0', 'y']);
	});

	it('a later scalar keeps the position of the array it overwrites', () => {
		const root = parsePhpQueryToMap('a[x]=1&b=2&a=3');
		expect([...root.entries()]).toEqual([
			['a', '3'],
			['b', '2'],
		]);
	});

	it('drops the whole variable past 64 nesting levels, like max_input_nesting_level', () => {
		const deep = 'd' + '[x]'.repeat(65) + '=1';
		expect(parsePhpQuery(`d[keep]=0&${deep}&e=1`)).toEqual({ e: '1' });
		expect(parsePhpQuery('d' + '[x]'.repeat(64) + '=1')).toHaveProperty('d.x.x.x');
	});

	it('stores "__proto__" as a plain key, never as a prototype', () => {
		const parsed = parsePhpQuery('__proto__[polluted]=1');
		expect(Object.keys(parsed)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});

describe('fake Bitrix24 portal', () => {
	let portal: FakePortal;

	beforeAll(async () => {
		portal = await startFakePortal();
	});
	afterAll(async () => {
		await portal.close();
	});
	beforeEach(() => portal.reset());

	describe('webhook calls', () => {
		it('creates a message from a JSON body and answers the success envelope', async () => {
			const answer = await postJson(`${portal.webhookUrl}im.message.add.json`, {
				DIALOG_ID: 'chat7',
				MESSAGE: '  Hello [b]world[/b]\n ',
				SYSTEM: 'Y',
				URL_PREVIEW: 'N',
			});
			expect(answer.status).toBe(200);
			expect(answer.body.result).toBe(1001);
			const time = answer.body.time as Record<string, unknown>;
			expect(Object.keys(time).sort()).toEqual(
				[
					'date_finish',
					'date_start',
					'duration',
					'finish',
					'operating',
					'operating_reset_at',
					'processing',
					'start',
				].sort(),
			);
			expect(portal.messages).toEqual([
				{
					id: 1001,
					dialogId: 'chat7',
					message: 'Hello [b]world[/b]',
					system: 'Y',
					urlPreview: 'N',
					via: 'direct',
					auth: 'webhook',
				},
			]);
			expect(portal.calls).toEqual([
				{
					method: 'im.message.add',
					params: expect.objectContaining({ DIALOG_ID: 'chat7' }),
					via: 'direct',
					outcome: 'ok',
				},
			]);
		});

		it('reads PHP-style nested form fields and query strings', async () => {
			const form =
				'DIALOG_ID=5&MESSAGE=a%26b%3Dc+d&ATTACH[0][MESSAGE]=note&KEYBOARD[BUTTONS][0][TEXT]=Open&KEYBOARD[BUTTONS][0][LINK]=https%3A%2F%2Fexample.com';
			const answer = await postForm(`${portal.webhookUrl}im.message.add?REPLY_ID=0`, form);
			expect(answer.body.result).toBe(1001);
			expect(portal.messages[0]).toMatchObject({
				dialogId: '5',
				message: 'a&b=c d',
				attach: [{ MESSAGE: 'note' }],
				keyboard: { BUTTONS: [{ TEXT: 'Open', LINK: 'https://example.com' }] },
			});
		});

		it('refuses a wrong secret, a wrong user and a revoked webhook with 401 INVALID_CREDENTIALS', async () => {
			const wrongSecret = await postJson(`${portal.url}/rest/1/notTheSecret/im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			const wrongUser = await postJson(
				`${portal.url}/rest/2/fakeWebhookSecret0123/im.message.add`,
				{ DIALOG_ID: 1, MESSAGE: 'x' },
			);
			portal.revokeWebhook();
			const revoked = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			for (const answer of [wrongSecret, wrongUser, revoked]) {
				expect(answer.status).toBe(401);
				expect(answer.body).toEqual({
					error: 'INVALID_CREDENTIALS',
					error_description: 'Invalid request credentials',
				});
			}
			expect(portal.messages).toHaveLength(0);
		});

		it('refuses a method outside the webhook scopes with insufficient_scope', async () => {
			portal.setWebhookScopes(['user']);
			const refused = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(refused.status).toBe(401);
			expect(refused.body.error).toBe('insufficient_scope');
			const scopes = await send(`${portal.webhookUrl}scope`);
			expect(scopes.body.result).toEqual(['user']);
		});

		it('answers 404 ERROR_METHOD_NOT_FOUND for an unknown method', async () => {
			const answer = await send(`${portal.webhookUrl}im.message.fly`);
			expect(answer.status).toBe(404);
			expect(answer.body.error).toBe('ERROR_METHOD_NOT_FOUND');
		});

		it('drops an invalid JSON body silently, so the call fails with MESSAGE_EMPTY', async () => {
			const answer = await send(`${portal.webhookUrl}im.message.add`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: '{"DIALOG_ID": "1", "MESSAGE": "unterminated',
			});
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: 'MESSAGE_EMPTY',
				error_description: "Message can't be empty",
			});
		});

		it('logs raw requests without the webhook secret', async () => {
			await postJson(`${portal.webhookUrl}profile`, {});
			expect(portal.httpRequests).toHaveLength(1);
			expect(portal.httpRequests[0]).toMatchObject({
				method: 'POST',
				path: '/rest/1/***/profile',
				rawBody: '{}',
				status: 200,
			});
			expect(JSON.stringify(portal.httpRequests)).not.toContain('fakeWebhookSecret0123');
		});
	});

	describe('im.message.add validation', () => {
		const add = (params: Record<string, unknown>): Promise<Answer> =>
			postJson(`${portal.webhookUrl}im.message.add`, params);

		it.each<[Record<string, unknown>, number, string]>([
			[{ DIALOG_ID: '', MESSAGE: 'x' }, 400, 'USER_ID_EMPTY'],
			[{ DIALOG_ID: 'chat0', MESSAGE: 'x' }, 400, 'CHAT_ID_EMPTY'],
			[{ DIALOG_ID: 51, MESSAGE: 'x' }, 400, 'USER_NOT_FOUND'],
			[{ DIALOG_ID: 'chat501', MESSAGE: 'x' }, 403, 'ACCESS_ERROR'],
			[{ DIALOG_ID: 'sg21', MESSAGE: 'x' }, 403, 'ACCESS_ERROR'],
			[{ DIALOG_ID: 1, MESSAGE: ' \n\t ' }, 400, 'MESSAGE_EMPTY'],
			[{ DIALOG_ID: 1, ATTACH: '{not json' }, 400, 'ATTACH_ERROR'],
			[{ DIALOG_ID: 1, ATTACH: [{ IMAGE: { LINK: 'ftp://x' } }] }, 400, 'ATTACH_ERROR'],
			[{ DIALOG_ID: 1, ATTACH: [{ MESSAGE: 'y'.repeat(60001) }] }, 400, 'ATTACH_OVERSIZE'],
			[
				{ DIALOG_ID: 1, MESSAGE: 'x', KEYBOARD: [{ TEXT: 'no action' }, { TYPE: 'NEWLINE' }] },
				400,
				'KEYBOARD_ERROR',
			],
			[
				{ DIALOG_ID: 1, MESSAGE: 'x', MENU: { ITEMS: [{ LINK: 'https://x.y' }] } },
				400,
				'MENU_ERROR',
			],
			[{ DIALOG_ID: 1, MESSAGE: 'x', REPLY_ID: 99999 }, 403, 'REPLY_ACCESS_ERROR'],
		])('%# → %i %s', async (params, status, code) => {
			const answer = await add(params);
			expect(answer.status).toBe(status);
			expect(answer.body.error).toBe(code);
			expect(portal.messages).toHaveLength(0);
		});

		it('accepts an ATTACH alone, as a JSON string, and keeps the parsed structure', async () => {
			const attach = {
				COLOR_TOKEN: 'primary',
				BLOCKS: [{ LINK: { LINK: 'https://example.com', NAME: 'Example' } }],
			};
			const answer = await add({ DIALOG_ID: 'sg3', ATTACH: JSON.stringify(attach) });
			expect(answer.status).toBe(200);
			expect(portal.messages[0]).toMatchObject({ dialogId: 'sg3', message: '', attach });
		});

		it('allows a reply in the same chat only', async () => {
			const first = await add({ DIALOG_ID: 'chat1', MESSAGE: 'first' });
			const sameChat = await add({
				DIALOG_ID: 'chat1',
				MESSAGE: 'reply',
				REPLY_ID: first.body.result,
			});
			const otherChat = await add({
				DIALOG_ID: 'chat2',
				MESSAGE: 'reply',
				REPLY_ID: first.body.result,
			});
			expect(sameChat.body.result).toBe(1002);
			expect(portal.messages[1].replyId).toBe(1001);
			expect(otherChat.status).toBe(403);
			expect(otherChat.body.error).toBe('REPLY_FROM_OTHER_CHAT_ERROR');
		});

		it('cuts a message over 20,000 characters silently, counting code points', async () => {
			const answer = await add({ DIALOG_ID: 1, MESSAGE: '😀'.repeat(20005) });
			expect(answer.status).toBe(200);
			expect(Array.from(portal.messages[0].message)).toHaveLength(20000);
		});
	});

	describe('batch', () => {
		it('halt=1 stops at the first failure; later commands are absent', async () => {
			const answer = await postJson(`${portal.webhookUrl}batch`, {
				halt: 1,
				cmd: {
					first: 'im.message.add?DIALOG_ID=1&MESSAGE=one',
					broken: 'im.message.add?DIALOG_ID=1&MESSAGE=',
					never: 'im.message.add?DIALOG_ID=1&MESSAGE=three',
				},
			});
			expect(answer.status).toBe(200);
			const result = answer.body.result as Record<string, unknown>;
			expect(result.result).toEqual({ first: 1001 });
			expect(result.result_error).toEqual({
				broken: { error: 'MESSAGE_EMPTY', error_description: "Message can't be empty" },
			});
			expect(Object.keys(result.result_time as object)).toEqual(['first', 'broken']);
			expect(portal.messages.map((message) => message.message)).toEqual(['one']);
			expect(portal.calls.map((call) => [call.method, call.via, call.outcome])).toEqual([
				['batch', 'direct', 'ok'],
				['im.message.add', 'batch', 'ok'],
				['im.message.add', 'batch', 'MESSAGE_EMPTY'],
			]);
		});

		it('halt=0 runs every command; an array cmd keyed 0.. answers like PHP json_encode', async () => {
			const answer = await postJson(`${portal.webhookUrl}batch`, {
				halt: 0,
				cmd: [
					'im.message.add?DIALOG_ID=1&MESSAGE=a',
					'im.message.add?DIALOG_ID=999&MESSAGE=b',
					'im.message.add?DIALOG_ID=2&MESSAGE=c',
				],
			});
			const result = answer.body.result as Record<string, unknown>;
			// Keys 0 and 2 are not a list, so PHP encodes an object; an empty section is [].
			expect(result.result).toEqual({ 0: 1001, 2: 1002 });
			expect(result.result_error).toEqual({
				1: { error: 'USER_NOT_FOUND', error_description: 'User not found' },
			});
			expect(result.result_total).toEqual([]);
			expect(portal.messages.every((message) => message.via === 'batch')).toBe(true);
		});

		it('decodes double-encoded sub-queries from a form body', async () => {
			const subQuery =
				'DIALOG_ID=chat3&MESSAGE=' + encodeURIComponent('a&b=c+d %') + '&ATTACH[0][MESSAGE]=z';
			const answer = await postForm(
				`${portal.webhookUrl}batch`,
				`halt=1&cmd[m]=${encodeURIComponent(`im.message.add?${subQuery}`)}`,
			);
			expect((answer.body.result as Record<string, unknown>).result).toEqual({ m: 1001 });
			expect(portal.messages[0]).toMatchObject({
				dialogId: 'chat3',
				message: 'a&b=c+d %',
				attach: [{ MESSAGE: 'z' }],
			});
		});

		it('refuses more than 50 commands and a nested batch', async () => {
			const tooLong = await postJson(`${portal.webhookUrl}batch`, {
				cmd: Array.from({ length: 51 }, () => 'profile'),
			});
			expect(tooLong.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
			const nested = await postJson(`${portal.webhookUrl}batch`, {
				cmd: { inner: 'batch?cmd[a]=profile', me: 'profile' },
			});
			const result = nested.body.result as Record<string, unknown>;
			expect((result.result_error as Record<string, { error: string }>).inner.error).toBe(
				'ERROR_BATCH_METHOD_NOT_ALLOWED',
			);
			expect((result.result as Record<string, { ID: string }>).me.ID).toBe('1');
		});
	});

	describe('faults', () => {
		it('queryLimit refuses the whole request; nothing runs', async () => {
			portal.inject({ kind: 'queryLimit' });
			const refused = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(refused.status).toBe(503);
			expect(refused.body).toEqual({
				error: 'QUERY_LIMIT_EXCEEDED',
				error_description: 'Too many requests',
			});
			const retried = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(retried.status).toBe(200);
			expect(portal.messages).toHaveLength(1);
			expect(portal.stats.queryLimitRefusals).toBe(1);
		});

		it('html502 answers an HTML 502 without running the batch', async () => {
			portal.inject({ kind: 'html502' });
			const answer = await postJson(`${portal.webhookUrl}batch`, {
				cmd: ['im.message.add?DIALOG_ID=1&MESSAGE=x'],
			});
			expect(answer.status).toBe(502);
			expect(answer.contentType).toContain('text/html');
			expect(answer.text).toBe('<html>Bad gateway</html>');
			expect(portal.messages).toHaveLength(0);
		});

		it('operationTimeLimit answers 429 with operating_reset_at, and lands in result_error inside a batch', async () => {
			portal.inject({ kind: 'operationTimeLimit', resetAfterMs: 5000, times: 2 });
			const before = Date.now();
			const direct = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(direct.status).toBe(429);
			expect(direct.body.error).toBe('OPERATION_TIME_LIMIT');
			const resetAtMs = (direct.body.time as Record<string, number>).operating_reset_at * 1000;
			expect(resetAtMs).toBeGreaterThanOrEqual(before + 5000);
			expect(resetAtMs).toBeLessThan(Date.now() + 5000 + 50);
			const batch = await postJson(`${portal.webhookUrl}batch`, {
				cmd: { a: 'im.message.add?DIALOG_ID=1&MESSAGE=x' },
			});
			expect(batch.status).toBe(200);
			expect(
				(batch.body.result as Record<string, Record<string, { error: string }>>).result_error.a
					.error,
			).toBe('OPERATION_TIME_LIMIT');
			expect(portal.messages).toHaveLength(0);
			expect(portal.stats.operationTimeLimitRefusals).toBe(2);
		});

		it('error faults answer the given code and status', async () => {
			portal.inject({
				kind: 'error',
				code: 'ERROR_MESSAGE_CREATE',
				description: 'Error creating message',
				status: 400,
			});
			const answer = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'x',
			});
			expect(answer.status).toBe(400);
			expect(answer.body).toEqual({
				error: 'ERROR_MESSAGE_CREATE',
				error_description: 'Error creating message',
			});
		});

		it('dropAfterCreate creates the message, then cuts the connection', async () => {
			portal.inject({ kind: 'dropAfterCreate' });
			await expect(
				postJson(`${portal.webhookUrl}im.message.add`, { DIALOG_ID: 1, MESSAGE: 'maybe' }),
			).rejects.toThrow();
			expect(portal.messages.map((message) => message.message)).toEqual(['maybe']);
		});

		it('status500AfterCreate creates the message, then answers 500', async () => {
			portal.inject({ kind: 'status500AfterCreate' });
			const answer = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'maybe',
			});
			expect(answer.status).toBe(500);
			expect(answer.body.error).toBe('INTERNAL_SERVER_ERROR');
			expect(portal.messages).toHaveLength(1);
		});

		it('hang creates the message and never answers', async () => {
			portal.inject({ kind: 'hang' });
			const hung = fetch(`${portal.webhookUrl}im.message.add`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ DIALOG_ID: 1, MESSAGE: 'slow' }),
				signal: AbortSignal.timeout(300),
			});
			await expect(hung).rejects.toThrow();
			expect(portal.messages).toHaveLength(1);
		});
	});

	describe('OAuth', () => {
		async function authorize(): Promise<Record<string, unknown>> {
			const code = portal.issueAuthorizationCode();
			const answer = await postForm(
				portal.tokenUrl,
				`grant_type=authorization_code&client_id=local.fake.app&client_secret=fakeClientSecret0123&code=${code}`,
			);
			expect(answer.status).toBe(200);
			return answer.body;
		}

		it('issues tokens for a code once, with the documented fields', async () => {
			const code = portal.issueAuthorizationCode();
			const basic =
				'Basic ' + Buffer.from('local.fake.app:fakeClientSecret0123').toString('base64');
			const first = await postForm(portal.tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: basic,
			});
			expect(first.body).toMatchObject({
				expires_in: 3600,
				client_endpoint: portal.restUrl,
				server_endpoint: `${portal.url}/oauth/rest/`,
				scope: 'im',
				user_id: 1,
				token_type: 'bearer',
			});
			expect(first.body.access_token).toBe(portal.tokens.issuedAccess[0]);
			const reused = await postForm(portal.tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: basic,
			});
			expect(reused.status).toBe(400);
			expect(reused.body.error).toBe('invalid_grant');
		});

		it('rejects a wrong client: 401 with Basic, 400 in the body', async () => {
			const code = portal.issueAuthorizationCode();
			const basic = await postForm(portal.tokenUrl, `grant_type=authorization_code&code=${code}`, {
				authorization: 'Basic ' + Buffer.from('local.fake.app:wrong').toString('base64'),
			});
			const inBody = await send(
				`${portal.tokenUrl}?grant_type=authorization_code&client_id=x&client_secret=y&code=${code}`,
			);
			expect([basic.status, basic.body.error]).toEqual([401, 'invalid_client']);
			expect([inBody.status, inBody.body.error]).toEqual([400, 'invalid_client']);
		});

		it('accepts the token as the auth parameter or a Bearer header; none, unknown and expired fail', async () => {
			const tokens = await authorize();
			const viaParam = await postJson(`${portal.restUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'a',
				auth: tokens.access_token,
			});
			const viaHeader = await postJson(
				`${portal.restUrl}im.message.add.json`,
				{ DIALOG_ID: 1, MESSAGE: 'b' },
				{
					authorization: `Bearer ${String(tokens.access_token)}`,
				},
			);
			expect([viaParam.status, viaHeader.status]).toEqual([200, 200]);
			expect(portal.messages.map((message) => message.auth)).toEqual(['oauth', 'oauth']);
			expect(portal.calls[0].params).not.toHaveProperty('auth');

			const none = await postJson(`${portal.restUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'c',
			});
			const unknown = await send(`${portal.restUrl}profile?auth=nope`);
			portal.expireAccessTokens();
			const expired = await send(`${portal.restUrl}profile?auth=${String(tokens.access_token)}`);
			expect([none.status, none.body.error]).toEqual([401, 'NO_AUTH_FOUND']);
			expect([unknown.status, unknown.body.error]).toEqual([401, 'invalid_token']);
			expect([expired.status, expired.body.error]).toEqual([401, 'expired_token']);
		});

		it('rotates refresh tokens: a used one is spent', async () => {
			const tokens = await authorize();
			const refresh = (token: unknown): Promise<Answer> =>
				send(
					`${portal.tokenUrl}?grant_type=refresh_token&client_id=local.fake.app&client_secret=fakeClientSecret0123&refresh_token=${String(token)}`,
				);
			const renewed = await refresh(tokens.refresh_token);
			expect(renewed.status).toBe(200);
			expect(renewed.body.refresh_token).not.toBe(tokens.refresh_token);
			const again = await refresh(tokens.refresh_token);
			expect([again.status, again.body.error]).toEqual([400, 'invalid_grant']);
			const next = await refresh(renewed.body.refresh_token);
			expect(next.status).toBe(200);
			expect(portal.tokens.refreshGrants).toBe(2);
			const works = await send(`${portal.restUrl}scope?auth=${String(next.body.access_token)}`);
			expect(works.body.result).toEqual(['im']);
		});

		it('refuses a method outside the token scopes', async () => {
			const tokens = await authorize();
			const answer = await send(`${portal.restUrl}user.search?auth=${String(tokens.access_token)}`);
			expect([answer.status, answer.body.error]).toEqual([401, 'insufficient_scope']);
		});
	});

	describe('directory methods', () => {
		it('im.recent.list pages through 120 seeded entries', async () => {
			const firstPage = await send(`${portal.webhookUrl}im.recent.list?LIMIT=100`);
			const page = firstPage.body.result as {
				items: Array<{ id: unknown; type: string; title: string }>;
				hasMorePages: boolean;
			};
			expect(page.items).toHaveLength(100);
			expect(page.hasMorePages).toBe(true);
			const rest = (await send(`${portal.webhookUrl}im.recent.list?OFFSET=100&LIMIT=100`)).body
				.result as typeof page;
			expect(rest.items).toHaveLength(20);
			expect(rest.hasMorePages).toBe(false);
			const titles = [...page.items, ...rest.items].map((item) => item.title);
			expect(new Set(titles).size).toBe(120);
			expect(titles).toContain('Отдел продаж');
			const chatsOnly = (await send(`${portal.webhookUrl}im.recent.list?SKIP_DIALOG=Y&LIMIT=200`))
				.body.result as typeof page;
			expect(chatsOnly.items.every((item) => item.type === 'chat')).toBe(true);
			expect(chatsOnly.items).toHaveLength(80);
		});

		it('profile answers the webhook user', async () => {
			const answer = await send(`${portal.webhookUrl}profile`);
			expect(answer.body.result).toMatchObject({ ID: '1', ADMIN: true });
		});
	});

	it('/_demo lists messages with HTML escaped; /_demo/messages gives JSON', async () => {
		await postJson(`${portal.webhookUrl}im.message.add`, {
			DIALOG_ID: 1,
			MESSAGE: '<script>alert(1)</script>',
		});
		const page = await send(`${portal.url}/_demo`);
		expect(page.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
		expect(page.text).not.toContain('<script>');
		const list = await fetch(`${portal.url}/_demo/messages`).then((response) => response.json());
		expect(list).toEqual([
			expect.objectContaining({ id: 1001, message: '<script>alert(1)</script>' }),
		]);
	});
});

describe('rate limit', () => {
	it('refuses with 503 QUERY_LIMIT_EXCEEDED over capacity, runs nothing, then drains', async () => {
		const portal = await startFakePortal({ rateLimit: { capacity: 3, drainPerSecond: 10 } });
		try {
			const statuses: number[] = [];
			for (let index = 0; index < 5; index++) {
				const answer = await postJson(`${portal.webhookUrl}im.message.add`, {
					DIALOG_ID: 1,
					MESSAGE: `m${index}`,
				});
				statuses.push(answer.status);
			}
			expect(statuses.slice(0, 3)).toEqual([200, 200, 200]);
			expect(statuses.slice(3)).toContain(503);
			expect(portal.messages.length).toBe(statuses.filter((status) => status === 200).length);
			await new Promise((resolve) => setTimeout(resolve, 350));
			const afterDrain = await postJson(`${portal.webhookUrl}im.message.add`, {
				DIALOG_ID: 1,
				MESSAGE: 'later',
			});
			expect(afterDrain.status).toBe(200);
		} finally {
			await portal.close();
		}
	});

	it('counts one batch of 50 as one request', async () => {
		const portal = await startFakePortal({ rateLimit: { capacity: 1, drainPerSecond: 0.001 } });
		try {
			const cmd = Array.from(
				{ length: 50 },
				(_, index) => `im.message.add?DIALOG_ID=1&MESSAGE=${index}`,
			);
			const batch = await postJson(`${portal.webhookUrl}batch`, { cmd });
			expect(batch.status).toBe(200);
			expect(portal.messages).toHaveLength(50);
			const next = await postJson(`${portal.webhookUrl}batch`, { cmd });
			expect(next.status).toBe(503);
			expect(portal.messages).toHaveLength(50);
		} finally {
			await portal.close();
		}
	});
});

describe('latency and close', () => {
	it('delays answers by latencyMs and closes while a request hangs', async () => {
		const portal = await startFakePortal({ latencyMs: 150 });
		const started = Date.now();
		await send(`${portal.webhookUrl}profile`);
		expect(Date.now() - started).toBeGreaterThanOrEqual(140);
		portal.inject({ kind: 'hang', method: 'profile' });
		const hung = fetch(`${portal.webhookUrl}profile`).then(
			(response) => `answered ${response.status}`,
			() => 'failed',
		);
		await new Promise((resolve) => setTimeout(resolve, 250));
		const closeStarted = Date.now();
		await portal.close();
		expect(Date.now() - closeStarted).toBeLessThan(1000);
		expect(await hung).toBe('failed');
	});
});
