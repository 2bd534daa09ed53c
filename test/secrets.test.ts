import type { ICredentialDataDecryptedObject, IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import type { RunResult } from './harness/runWorkflow';
import { sendParameters, useFakePortal, WEBHOOK_CODE, webhookCredentials } from './harness/fixtures';
import { FAKE_CLIENT_CODE } from './fakePortal';
import type { FakePortal } from './fakePortal';
import { TestCredentialStore } from './harness/credentialStore';
import { connectedOAuthCredential, OAUTH_STORED_AS } from './harness/oauthCredential';
import { startOtherHost } from './harness/otherHost';
import { useListeningTriggers } from './harness/runTrigger';
import type { OtherHost } from './harness/otherHost';

const portal = useFakePortal();

/** Everything reachable from a value, including errors' non-enumerable message, stack and cause. */
function deepText(value: unknown, seen = new WeakSet<object>()): string {
	if (value === null || typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const keys = new Set([...Object.keys(value), ...Object.getOwnPropertyNames(value)]);
	if (value instanceof Error) ['message', 'stack', 'cause', 'description'].forEach((key) => keys.add(key));
	let text = '';
	for (const key of keys) {
		try {
			text += ` ${key}=${deepText((value as Record<string, unknown>)[key], seen)}`;
		} catch {
			// getters that throw are not data
		}
	}
	return text;
}

/** Runs `run` while recording everything written to stdout/stderr and the console. */
async function capturingLogs<T>(run: () => Promise<T>): Promise<{ value: T; logged: string }> {
	const logged: string[] = [];
	const record = (chunk: unknown) => {
		logged.push(String(chunk));
		return true;
	};
	const spies = [
		jest.spyOn(process.stdout, 'write').mockImplementation(record),
		jest.spyOn(process.stderr, 'write').mockImplementation(record),
		...(['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
			jest
				.spyOn(console, name)
				.mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => deepText(arg)).join(' '))),
		),
	];
	try {
		return { value: await run(), logged: logged.join('\n') };
	} finally {
		spies.forEach((spy) => spy.mockRestore());
	}
}

/** Runs the node while recording everything written to stdout/stderr and the console. */
async function runCapturingLogs(
	setup: (p: FakePortal) => void,
	onError?: INode['onError'],
	parameters = sendParameters(),
): Promise<{ result: RunResult; logged: string }> {
	setup(portal());
	const { value: result, logged } = await capturingLogs(
		async () => await runBitrix24({ credentials: webhookCredentials(portal()), parameters, onError }),
	);
	return { result, logged };
}

const PATHS: Array<[string, (p: FakePortal) => void]> = [
	['success', () => undefined],
	[
		'Bitrix24 error',
		(p) => p.inject({ kind: 'error', code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 }),
	],
	['revoked webhook', (p) => p.revokeWebhook()],
	['missing scope', (p) => p.setWebhookScopes(['user'])],
	['HTML 502', (p) => p.inject({ kind: 'html502', method: '*' })],
	['connection dropped after sending', (p) => p.inject({ kind: 'dropAfterCreate' })],
	['500 after creating', (p) => p.inject({ kind: 'status500AfterCreate' })],
];

describe.each([undefined, 'continueRegularOutput', 'continueErrorOutput'] as const)('with onError %s', (onError) => {
	it.each(PATHS)('the webhook secret appears in no error, output or log: %s', async (_label, setup) => {
		const { result, logged } = await runCapturingLogs(setup, onError);
		// The run did something observable (otherwise the check below proves nothing).
		expect(result.output.length + result.errorOutput.length + (result.error ? 1 : 0)).toBeGreaterThan(0);
		expect(deepText(result.run)).not.toContain(WEBHOOK_CODE);
		expect(deepText(result.error)).not.toContain(WEBHOOK_CODE);
		expect(logged).not.toContain(WEBHOOK_CODE);
	});
});

it('the secret is not in the message of an unreachable-portal error either', async () => {
	const webhookCode = 'dummyUnreachableCode987';
	const result = await runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: `http://127.0.0.1:1/rest/1/${webhookCode}/` } },
		parameters: sendParameters({ options: { maxRetryWaitSeconds: 0 } }),
	});
	expect(result.status).toBe('error');
	expect(deepText(result.run)).not.toContain(webhookCode);
});

describe('secrets never travel to a host other than the portal', () => {
	let other: OtherHost;
	beforeAll(async () => {
		other = await startOtherHost('127.0.0.2');
	});
	beforeEach(() => {
		other.received.length = 0;
	});
	afterAll(async () => {
		await other.close();
	});

	/** Runs with every log captured, then checks that no secret reached the other host, the output or a log. */
	async function runAndScan(options: {
		store?: TestCredentialStore;
		credentials?: Record<string, ICredentialDataDecryptedObject>;
		parameters: INodeParameters;
		items?: IDataObject[];
		secrets: string[];
		onError?: INode['onError'];
	}) {
		const { value: result, logged } = await capturingLogs(
			async () =>
				await runBitrix24({
					store: options.store,
					credentials: options.store ? undefined : (options.credentials ?? webhookCredentials(portal())),
					parameters: options.parameters,
					items: options.items,
					onError: options.onError,
				}),
		);
		expect(other.received).toEqual([]);
		for (const secret of options.secrets) {
			expect(other.allText()).not.toContain(secret);
			expect(deepText(result.run)).not.toContain(secret);
			expect(deepText(result.error)).not.toContain(secret);
			expect(logged).not.toContain(secret);
		}
		return result;
	}

	async function oauthStore(): Promise<{ store: TestCredentialStore; secrets: string[] }> {
		const store = new TestCredentialStore();
		const credential = await connectedOAuthCredential(portal());
		store.set(OAUTH_STORED_AS, 'bitrix24OAuth2Api', credential);
		const tokenData = credential.oauthTokenData as Record<string, string>;
		return { store, secrets: [FAKE_CLIENT_CODE, tokenData.access_token, tokenData.refresh_token] };
	}

	describe.each([
		['one message', [{}]],
		['a batch of three', [{}, {}, {}]],
	])('webhook, %s', (_label, items) => {
		it.each([307, 302, 301, 308])('a %i redirect to another host is reported, not followed', async (status) => {
			portal().inject({ kind: 'redirect', method: '*', status, redirectTo: other.url });
			const result = await runAndScan({ parameters: sendParameters(), items, secrets: [WEBHOOK_CODE] });
			expect(result.status).toBe('error');
			expect(result.error?.message).toContain(`redirect to ${other.host}: update the credential`);
			expect(portal().messages).toHaveLength(0);
		});
	});

	it('a chat bot call redirected to another host: reported, and the bot token does not follow it', async () => {
		const botToken = 'dummyBotTokenRedirect-77';
		portal().setWebhookScopes(['im', 'imbot']);
		const { id } = portal().seedBot({ code: 'redirected_bot', name: 'Redirected', botToken });
		portal().inject({ kind: 'redirect', method: '*', status: 307, redirectTo: other.url });
		const result = await runAndScan({
			credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, botToken } },
			parameters: {
				authentication: 'webhook',
				resource: 'bot',
				operation: 'sendMessage',
				bot: { __rl: true, mode: 'list', value: String(id) },
				dialogId: { __rl: true, mode: 'id', value: '5' },
				message: 'Hello',
			},
			secrets: [WEBHOOK_CODE, botToken],
		});
		expect(result.error?.message).toContain(`redirect to ${other.host}`);
		expect(portal().messages).toHaveLength(0);
	});

	it('OAuth2: a redirect to another host is reported, and the token does not follow it', async () => {
		const { store, secrets } = await oauthStore();
		portal().inject({ kind: 'redirect', method: '*', status: 307, redirectTo: other.url });
		const result = await runAndScan({ store, parameters: sendParameters({ authentication: 'oAuth2' }), secrets });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`redirect to ${other.host}: update the credential`);
		expect(portal().messages).toHaveLength(0);
	});

	it('OAuth2: a stored client_endpoint on another host is refused before any request', async () => {
		const { store, secrets } = await oauthStore();
		const stored = store.get(OAUTH_STORED_AS) as ICredentialDataDecryptedObject;
		const tokenData = stored.oauthTokenData as Record<string, unknown>;
		store.set(OAUTH_STORED_AS, 'bitrix24OAuth2Api', {
			...stored,
			oauthTokenData: { ...tokenData, client_endpoint: `${other.url}/rest/` },
		});

		const result = await runAndScan({ store, parameters: sendParameters({ authentication: 'oAuth2' }), secrets });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/client_endpoint/);
		expect(result.error?.message).toContain('Portal URL');
		expect(portal().httpRequests.filter((request) => request.path.startsWith('/rest/'))).toHaveLength(0);
	});

	it('OAuth2: a token refresh that names another host as client_endpoint never moves later calls there', async () => {
		const { store, secrets } = await oauthStore();
		portal().setClientEndpoint(`${other.url}/rest/`);
		portal().expireAccessTokens();

		// The refresh happens inside this run: its call still goes to the portal it started with.
		const first = await runAndScan({ store, parameters: sendParameters({ authentication: 'oAuth2' }), secrets });
		expect(first.error).toBeUndefined();
		expect(portal().messages).toHaveLength(1);
		const refreshed = store.get(OAUTH_STORED_AS)?.oauthTokenData as Record<string, string>;
		expect(refreshed.client_endpoint).toBe(`${other.url}/rest/`);

		// The next run reads the poisoned token data and refuses to use it.
		const second = await runAndScan({
			store,
			parameters: sendParameters({ authentication: 'oAuth2' }),
			secrets: [...secrets, refreshed.access_token, refreshed.refresh_token],
		});
		expect(second.status).toBe('error');
		expect(second.error?.message).toMatch(/client_endpoint/);
		expect(portal().messages).toHaveLength(1);
	});

	it.each([
		[
			'a backslash',
			(host: string, portalUrl: string) =>
				`http://${host}\\@${portalUrl.replace('http://', '')}/rest/1/${WEBHOOK_CODE}/`,
		],
		[
			'a tab in the host',
			(host: string) => `http://${host.replace('127.0.0.2', '127.0.\t0.2')}/rest/1/${WEBHOOK_CODE}/`,
		],
	])('webhook: a URL with %s is refused before any request', async (_label, makeUrl) => {
		const webhookUrl = makeUrl(other.host, portal().url);
		const result = await runAndScan({
			credentials: { bitrix24WebhookApi: { webhookUrl } },
			parameters: sendParameters(),
			secrets: [WEBHOOK_CODE],
		});
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Webhook URL.*(backslash|tab)/);
		expect(portal().httpRequests).toHaveLength(0);
	});
});

describe('the bot token', () => {
	const BOT_TOKEN = 'dummyBotTokenSecret-4242';
	const BOT_PATHS: Array<[string, (p: FakePortal, botId: number) => void]> = [
		['success', () => undefined],
		['not in the chat (ACCESS_DENIED)', () => undefined],
		['missing scope', (p) => p.setWebhookScopes(['im'])],
		['HTML 502', (p) => p.inject({ kind: 'html502', method: '*' })],
		['500 after sending', (p) => p.inject({ kind: 'status500AfterCreate', method: 'imbot.v2.chat.message.send' })],
		['ownership (token of another bot)', () => undefined],
	];

	it.each(BOT_PATHS)('appears in no error, output or log, and reaches the portal only: %s', async (label, setup) => {
		portal().setWebhookScopes(['im', 'imbot']);
		const owner = label.startsWith('ownership') ? 'anotherOwnersToken' : BOT_TOKEN;
		const { id } = portal().seedBot({ code: 'secret_bot', name: 'Secret', botToken: owner });
		setup(portal(), id);
		const dialogId = label.startsWith('not in the chat') ? 'chat9' : '5';
		const { value: result, logged } = await capturingLogs(
			async () =>
				await runBitrix24({
					credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, botToken: BOT_TOKEN } },
					parameters: {
						authentication: 'webhook',
						resource: 'bot',
						operation: 'sendMessage',
						bot: { __rl: true, mode: 'list', value: String(id) },
						dialogId: { __rl: true, mode: 'id', value: dialogId },
						message: 'Hello',
						// One second: room for the bots' own pace (2 a second) between these runs, which
						// share one portal, and no retries worth waiting for.
						options: { maxRetryWaitSeconds: 1 },
					},
				}),
		);
		expect(result.output.length + (result.error ? 1 : 0)).toBeGreaterThan(0);
		expect(deepText(result.run)).not.toContain(BOT_TOKEN);
		expect(deepText(result.error)).not.toContain(BOT_TOKEN);
		expect(logged).not.toContain(BOT_TOKEN);
		// The portal did receive it (otherwise the checks above prove nothing).
		if (label !== 'HTML 502')
			expect(portal().httpRequests.some((request) => request.rawBody.includes(BOT_TOKEN))).toBe(true);
	});

	const listeningTrigger = useListeningTriggers(portal);
	it('the Bot Trigger: not in its items, errors or logs, through registration, an update, a failed read and events', async () => {
		portal().setWebhookScopes(['im', 'imbot']);
		const { value: run, logged } = await capturingLogs(async () => {
			const trigger = listeningTrigger({
				type: 'bitrix24BotTrigger',
				credentials: { bitrix24WebhookApi: { webhookUrl: portal().webhookUrl, botToken: BOT_TOKEN } },
				parameters: {
					botCode: 'secret_bot',
					botName: 'Secret',
					commands: { command: [{ command: 'help', title: 'Help' }] },
				},
			});
			// A bot registered earlier under another name: activation updates it (and logs that).
			const bot = portal().seedBot({ code: 'secret_bot', name: 'Old name', botToken: BOT_TOKEN });
			portal().inject({ kind: 'html502', method: 'imbot.v2.event.get' });
			await trigger.activate();
			portal().writeToBot(bot.id, 2, 'hello');
			portal().writeToBot(bot.id, 2, '/help');
			await trigger.waitForExecutions(2, 25_000);
			await trigger.close();
			return trigger;
		});
		expect(run.items).toHaveLength(2);
		expect(deepText(run.items)).not.toContain(BOT_TOKEN);
		expect(deepText(run.errors)).not.toContain(BOT_TOKEN);
		expect(logged).not.toContain(BOT_TOKEN);
		expect(portal().httpRequests.some((request) => request.rawBody.includes(BOT_TOKEN))).toBe(true);
	}, 40_000);
});
