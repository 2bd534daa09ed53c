/**
 * batch: up to 50 commands, halt, PHP-encoded sub-queries.
 *
 * The fake portal must itself behave like Bitrix24 (docs/bitrix24-behaviour.md), or every test
 * built on it proves nothing. These tests talk to it over real HTTP with fetch.
 */
import { useFakePortal } from './harness/fixtures';
import { postForm, postJson } from './harness/portalHttp';

describe('fake Bitrix24 portal', () => {
	const portal = useFakePortal();

	describe('batch', () => {
		it('halt=1 stops at the first failure; later commands are absent', async () => {
			const answer = await postJson(`${portal().webhookUrl}batch`, {
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
			expect(portal().messages.map((message) => message.message)).toEqual(['one']);
			expect(portal().calls.map((call) => [call.method, call.via, call.outcome])).toEqual([
				['batch', 'direct', 'ok'],
				['im.message.add', 'batch', 'ok'],
				['im.message.add', 'batch', 'MESSAGE_EMPTY'],
			]);
		});

		it('halt=0 runs every command; an array cmd keyed 0.. answers like PHP json_encode', async () => {
			const answer = await postJson(`${portal().webhookUrl}batch`, {
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
			expect(portal().messages.map((message) => [message.message, message.via])).toEqual([
				['a', 'batch'],
				['c', 'batch'],
			]);
		});

		it('decodes double-encoded sub-queries from a form body', async () => {
			const subQuery = 'DIALOG_ID=chat3&MESSAGE=' + encodeURIComponent('a&b=c+d %') + '&ATTACH[0][MESSAGE]=z';
			const answer = await postForm(
				`${portal().webhookUrl}batch`,
				`halt=1&cmd[m]=${encodeURIComponent(`im.message.add?${subQuery}`)}`,
			);
			expect((answer.body.result as Record<string, unknown>).result).toEqual({ m: 1001 });
			expect(portal().messages[0]).toMatchObject({
				dialogId: 'chat3',
				message: 'a&b=c+d %',
				attach: [{ MESSAGE: 'z' }],
			});
		});

		it('refuses more than 50 commands and a nested batch', async () => {
			const tooLong = await postJson(`${portal().webhookUrl}batch`, {
				cmd: Array.from({ length: 51 }, () => 'profile'),
			});
			expect(tooLong.body.error).toBe('ERROR_BATCH_LENGTH_EXCEEDED');
			const nested = await postJson(`${portal().webhookUrl}batch`, {
				cmd: { inner: 'batch?cmd[a]=profile', me: 'profile' },
			});
			const result = nested.body.result as Record<string, unknown>;
			expect((result.result_error as Record<string, { error: string }>).inner.error).toBe(
				'ERROR_BATCH_METHOD_NOT_ALLOWED',
			);
			expect((result.result as Record<string, { ID: string }>).me.ID).toBe('1');
		});
	});
});
