/** Public types of the fake Bitrix24 portal (see index.ts). */

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
	via: 'direct' | 'batch';
	auth: 'webhook' | 'oauth';
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
	reset(): void;
	close(): Promise<void>;
}
