/**
 * A fake Bitrix24 portal on 127.0.0.1 for tests, the benchmark and the demo: a real node:http
 * server that answers webhook and OAuth REST calls, the OAuth token endpoint and `batch` the way
 * docs/bitrix24-behaviour.md describes, records everything it receives, and can be
 * told to fail in the ways a real portal or network fails.
 */
import { PortalServer } from './server';
import type { FakePortal, FakePortalOptions } from './types';

export type {
	FakePortal,
	FakePortalOptions,
	FakePortalStats,
	FakePortalTokens,
	Fault,
	FaultKind,
	HttpRequestLog,
	MethodCall,
	StoredFile,
	StoredMessage,
	StoredNotification,
	FakeChat,
	BotInputAction,
	BotType,
	FakeBot,
	FakeBotCommand,
	SeedBotOptions,
} from './types';
export type { PostOptions } from './chatActivity';
export type { LoggedEvent } from './eventLog';
export { parsePhpQuery } from './phpQuery';
/** The default webhook code (the secret in the webhook URL) and OAuth client secret. */
export { FAKE_CLIENT_CODE, FAKE_WEBHOOK_CODE } from './server';

export async function startFakePortal(options: FakePortalOptions = {}): Promise<FakePortal> {
	const server = new PortalServer(options);
	await server.listen();
	const { url } = server;
	const { userId, secret } = server.webhook;
	return {
		url,
		webhookUrl: `${url}/rest/${userId}/${secret}/`,
		restUrl: `${url}/rest/`,
		tokenUrl: `${url}/oauth/token/`,
		messages: server.store.messages,
		notifications: server.store.chatLoop.notifications,
		chats: server.store.chatLoop.chats,
		seedMessage: (message) =>
			server.store.add({ ...message, system: 'N', urlPreview: 'Y', via: 'direct', auth: 'webhook' }),
		files: server.files.files,
		setImV2Available: (available) => {
			server.files.imV2Available = available;
		},
		setUploadLimit: (bytes) => {
			server.files.maxUploadBytes = bytes;
		},
		calls: server.calls,
		httpRequests: server.httpRequests,
		stats: server.stats,
		tokens: server.oauth.tokens,
		inject: (fault) => server.faults.inject(fault),
		revokeWebhook: () => {
			server.webhookRevoked = true;
		},
		setWebhookScopes: (scopes) => {
			server.webhookScopes = [...scopes];
		},
		expireAccessTokens: () => server.oauth.expireAccessTokens(),
		issueAuthorizationCode: () => server.oauth.issueAuthorizationCode(),
		postMessage: (options) => server.activity.post(options),
		editMessage: (messageId, text) => server.activity.edit(messageId, text),
		deleteMessage: (messageId) => server.activity.remove(messageId),
		reactToMessage: (messageId, userId, reaction, action) => server.activity.react(messageId, userId, reaction, action),
		addToChat: (dialogId, userId) => server.activity.join(dialogId, userId),
		pendingEvents: (userId) => server.eventLog.pending(userId),
		isSubscribed: (userId) => server.eventLog.isSubscribed(userId),
		advanceClock: (ms) => server.eventLog.advanceClock(ms),
		setClientEndpoint: (endpoint) => {
			server.oauth.clientEndpoint = endpoint;
		},
		bots: server.bots.bots,
		botInputActions: server.bots.inputActions,
		seedBot: (options) => {
			const owner = options.botToken !== undefined ? `token:${options.botToken}` : `app:${server.oauthConfig.clientId}`;
			const bot = server.bots.create({
				code: options.code,
				type: options.type ?? 'bot',
				owner,
				properties: { name: options.name },
				isHidden: false,
				isReactionsEnabled: true,
				isSupportOpenline: false,
				eventMode: 'fetch',
			});
			for (const command of options.commands ?? []) {
				server.bots.addCommand(bot, {
					command,
					title: { en: command },
					params: {},
					common: false,
					hidden: false,
					extranetSupport: false,
				});
			}
			return bot;
		},
		writeToBot: (botId, userId, text) => server.activity.post({ authorId: userId, dialogId: String(botId), text }),
		mentionBot: (botId, dialogId, userId, text) => {
			const bot = server.bots.byId(botId);
			const mention = `[USER=${botId}]${bot?.properties.name ?? 'Bot'}[/USER]`;
			return server.activity.post({ authorId: userId, dialogId, text: `${mention} ${text}` });
		},
		pressCommandButton: (messageId, userId, buttonText) => server.bots.pressButton(messageId, userId, buttonText),
		addBotToChat: (botId, dialogId, userId = 1) => {
			const bot = server.bots.byId(botId);
			if (!bot) throw new Error(`No bot ${botId}`);
			server.bots.join(bot, dialogId, userId);
		},
		pendingBotEvents: (botId) => server.bots.pending(botId),
		reset: () => server.reset(),
		close: async () => await server.close(),
	};
}
