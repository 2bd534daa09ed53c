/** Public types of the fake Bitrix24 portal (see index.ts). */
import type { FakeChat, StoredNotification } from './chatLoopState';

export type { FakeChat, StoredNotification } from './chatLoopState';
import type { StoredFile } from './fileStore';

export type { StoredFile } from './fileStore';
import type { PostOptions } from './chatActivity';
import type { LoggedEvent } from './eventLog';
import type { BotInputAction, BotType, FakeBot } from './botState';

export type { BotInputAction, BotType, FakeBot, FakeBotCommand } from './botState';

/** A bot created directly in the portal, as if registered earlier (see FakePortal.seedBot). */
export interface SeedBotOptions {
	code: string;
	name: string;
	type?: BotType;
	/** The webhook bot token that owns it; without it the bot belongs to the OAuth application. */
	botToken?: string;
	/** Registered commands, without the slash. */
	commands?: string[];
}

export interface FakePortalOptions {
	/** Port to listen on; 0 (default) picks a free one. */
	port?: number;
	/** Default { userId: 1, secret: 'fakeWebhookSecret0123', scopes: ['im', 'user'] }. */
	webhook?: { userId: number; secret: string; scopes: string[] };
	/** Default clientId 'local.fake.app', clientSecret 'fakeClientSecret0123', ttl 3600 s, scopes ['im']. */
	oauth?: {
		clientId: string;
		clientSecret: string;
		accessTokenTtlSeconds?: number;
		scopes?: string[];
	};
	/** Leaky bucket per portal (+1 per REST HTTP request); default false (off). */
	rateLimit?: { capacity: number; drainPerSecond: number } | false;
	/** Delay added before answering each HTTP request; default 0. */
	latencyMs?: number;
	/** The clock of the im.v2 event log (24-hour expiry); default Date.now. */
	now?: () => number;
	/**
	 * PHP's max_input_vars for each batch command's query: variables past it are dropped silently.
	 * Default 10000 (Bitrix24's cloud); self-hosted portals often keep PHP's 1000.
	 */
	maxInputVars?: number;
}

export interface StoredMessage {
	id: number;
	dialogId: string;
	message: string;
	attach?: unknown;
	keyboard?: unknown;
	menu?: unknown;
	system: 'Y' | 'N';
	urlPreview: 'Y' | 'N';
	replyId?: number;
	/** The chat bot that posted it (imbot.v2); authorId is then the bot's user ID. */
	botId?: number;
	/** Drive file IDs posted with the message (file uploads). */
	files?: number[];
	via: 'direct' | 'batch';
	auth: 'webhook' | 'oauth';
	/** Set for seeded messages; otherwise the caller that posted it (the webhook's user, or user 1 over OAuth). */
	authorId?: number;
	/** ATOM date; set for seeded messages, otherwise derived from the ID. */
	date?: string;
	/** Set by im.message.delete (or an im.message.update with an empty MESSAGE). */
	deleted?: boolean;
	/** Set by im.message.update unless IS_EDITED=N. */
	edited?: boolean;
	/** User IDs who like the message (im.message.like). */
	likes?: number[];
}

export interface MethodCall {
	method: string;
	params: Record<string, unknown>;
	via: 'direct' | 'batch';
	/** 'ok', or the error code the caller was given (e.g. 'MESSAGE_EMPTY', 'QUERY_LIMIT_EXCEEDED'). */
	outcome: 'ok' | string;
}

export interface HttpRequestLog {
	method: string;
	/** Path and query string; the webhook secret segment is replaced by '***'. */
	path: string;
	headers: Record<string, string | string[] | undefined>;
	rawBody: string;
	/** HTTP status answered; 0 while unanswered, and for dropped or hung requests. */
	status: number;
	/** Arrival time, ms since the epoch. */
	at: number;
}

export type FaultKind =
	| 'error'
	| 'queryLimit'
	| 'operationTimeLimit'
	| 'dropAfterCreate'
	| 'html502'
	/** Whole request, nothing runs: a proxy in front of the portal refuses the body as too large (HTML 413). */
	| 'html413'
	| 'status500AfterCreate'
	| 'hang'
	/** Whole request, nothing runs: answers `status` with the JSON `body` (not Bitrix24's envelope). */
	| 'jsonAnswer'
	/** The call runs (the message is created), then the answer is `status` with the JSON `body`. */
	| 'jsonAnswerAfterCreate'
	/** A batch runs every command, but its answer lists only the first `keep` results and times. */
	| 'batchPartialAnswer'
	/** Whole request, nothing runs: answers `status` (307 by default) with a Location on `redirectTo`. */
	| 'redirect';

export interface Fault {
	/** Method the fault waits for; default 'im.message.add'; '*' matches any method. */
	method?: string;
	/** How many matching calls it lets through before it hits; default 0. */
	skip?: number;
	/** How many matching calls it hits; default 1. */
	times?: number;
	kind: FaultKind;
	/** For kind 'error': code (default 'INTERNAL_SERVER_ERROR'), description, status (default 500). */
	code?: string;
	description?: string;
	status?: number;
	/**
	 * For kind 'redirect': answer `status` (default 307) with Location = redirectTo + the request's
	 * path and query, as a moved portal does (the webhook secret stays in the path).
	 */
	redirectTo?: string;
	/** For kind 'operationTimeLimit': time.operating_reset_at = now + resetAfterMs (default 1000). */
	resetAfterMs?: number;
	/** For 'queryLimit' and 'jsonAnswer': a Retry-After header, in seconds. */
	retryAfterSeconds?: number;
	/** For 'jsonAnswer' and 'jsonAnswerAfterCreate': the JSON body; default {}. */
	body?: Record<string, unknown>;
	/** For 'batchPartialAnswer': how many results the answer keeps; default 1. */
	keep?: number;
}

export interface FakePortalStats {
	httpRequests: number;
	queryLimitRefusals: number;
	operationTimeLimitRefusals: number;
}

export interface FakePortalTokens {
	issuedAccess: string[];
	issuedRefresh: string[];
	refreshGrants: number;
}

export interface FakePortal {
	readonly url: string;
	readonly webhookUrl: string;
	readonly restUrl: string;
	readonly tokenUrl: string;
	readonly messages: StoredMessage[];
	/** Notifications received by im.notify.personal.add / im.notify.system.add. */
	readonly notifications: StoredNotification[];
	/** Chats created by im.chat.add, by ID. */
	readonly chats: ReadonlyMap<number, FakeChat>;
	/** Puts a message into a chat's history as if `authorId` had written it (for history and permission tests). */
	seedMessage(message: { dialogId: string; message: string; authorId: number; date?: string }): StoredMessage;
	/** Files received through im.v2.File.upload or disk.folder.uploadfile, with their bytes. */
	readonly files: StoredFile[];
	/** false: answer im.v2.File.upload with ERROR_METHOD_NOT_FOUND, like a portal without im.v2. */
	setImV2Available(available: boolean): void;
	/** Lowers im.v2.File.upload's 100 MB limit (FILE_TOO_LARGE) for a test. */
	setUploadLimit(bytes: number): void;
	readonly calls: MethodCall[];
	readonly httpRequests: HttpRequestLog[];
	readonly stats: FakePortalStats;
	inject(fault: Fault): void;
	revokeWebhook(): void;
	setWebhookScopes(scopes: string[]): void;
	expireAccessTokens(): void;
	issueAuthorizationCode(): string;
	/** The client_endpoint of the token answers from now on (undefined: this portal's /rest/). */
	setClientEndpoint(url: string | undefined): void;
	readonly tokens: FakePortalTokens;
	/** People's activity in chats, recorded as im.v2 events for subscribed users. */
	postMessage(options: PostOptions): StoredMessage;
	editMessage(messageId: number, text: string): void;
	deleteMessage(messageId: number): void;
	reactToMessage(messageId: number, userId: number, reaction?: string, action?: 'add' | 'delete'): void;
	addToChat(dialogId: string, userId: number): void;
	/** A user's unconfirmed im.v2 events, oldest first. */
	pendingEvents(userId: number): LoggedEvent[];
	isSubscribed(userId: number): boolean;
	/** Moves the event log's clock forward (24-hour expiry). */
	advanceClock(ms: number): void;
	/** Chat bots (imbot.v2), in registration order. */
	readonly bots: readonly FakeBot[];
	/** Typing and other indicators bots showed (imbot.v2.Chat.InputAction.notify). */
	readonly botInputActions: readonly BotInputAction[];
	seedBot(options: SeedBotOptions): FakeBot;
	/** A person writes `text` in their private dialog with the bot. */
	writeToBot(botId: number, userId: number, text: string): StoredMessage;
	/** A person mentions the bot in group chat `dialogId` (the bot sees it only if it is a member). */
	mentionBot(botId: number, dialogId: string, userId: number, text: string): StoredMessage;
	/** A person presses a COMMAND button under a bot's message (the first, or the one labelled `buttonText`). */
	pressCommandButton(messageId: number, userId: number, buttonText?: string): void;
	/** `userId` adds the bot to group chat `dialogId` (chatN): ONIMBOTV2JOINCHAT. */
	addBotToChat(botId: number, dialogId: string, userId?: number): void;
	/** A bot's unconfirmed events, oldest first. */
	pendingBotEvents(botId: number): LoggedEvent[];
	reset(): void;
	close(): Promise<void>;
}
