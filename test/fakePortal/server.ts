/** The fake portal's HTTP server: routing, auth, rate limit, faults and the REST pipeline. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';

import {
	MAX_BATCH_COMMANDS,
	normaliseMethod,
	phpTruthy,
	readBatchCommands,
	runBatch,
	type SubCallResult,
} from './batch';
import { renderDemoPage } from './demoPage';
import { RestError, timeBlock } from './envelope';
import { ChatActivity } from './chatActivity';
import { createBotMethods } from './botMethods';
import { BotState } from './botState';
import { EventLog } from './eventLog';
import { createEventMethods } from './eventMethods';
import { FaultQueue } from './faults';
import { createFileMethods } from './fileMethods';
import { FileStore } from './fileStore';
import { MessageStore } from './messageStore';
import { createMethods, type CallContext, type MethodDefinition } from './methods';
import { OAuthServer, parseBasicCredentials, type OAuthConfig } from './oauth';
import { LeakyBucket } from './rateLimit';
import { readParams } from './requestParams';
import type { Fault, FakePortalOptions, FakePortalStats, HttpRequestLog, MethodCall } from './types';

// Well-known fake values (not secrets), fixed so that every test, the demo and the benchmark can rely on them.
export const FAKE_WEBHOOK_CODE = 'fakeWebhookSecret0123';
export const FAKE_CLIENT_CODE = 'fakeClientSecret0123';
export const DEFAULT_WEBHOOK = { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'user'] };
export const DEFAULT_OAUTH = {
	clientId: 'local.fake.app',
	clientSecret: FAKE_CLIENT_CODE,
	accessTokenTtlSeconds: 3600,
	scopes: ['im'],
};

/** What happens to the HTTP answer after a method ran (injected after-create faults). */
type AfterEffect = 'dropAfterCreate' | 'status500AfterCreate' | 'hang' | 'jsonAnswerAfterCreate' | undefined;

interface Effects {
	after: AfterEffect;
	fault?: Fault;
}

type Route = { kind: 'webhook'; userId: string; secret: string; method: string } | { kind: 'oauth'; method: string };

const HTML_502 = '<html>Bad gateway</html>';
/** What nginx answers above its client_max_body_size: the request never reaches the portal. */
const HTML_413 = '<html><head><title>413 Request Entity Too Large</title></head><body>nginx</body></html>';

function sendBody(
	res: ServerResponse,
	log: HttpRequestLog,
	status: number,
	contentType: string,
	body: string,
	headers: Record<string, string> = {},
): void {
	if (res.destroyed || res.writableEnded) return;
	const bytes = Buffer.from(body, 'utf8');
	log.status = status;
	res.writeHead(status, { ...headers, 'content-type': contentType, 'content-length': bytes.length });
	res.end(bytes);
}

function sendJson(
	res: ServerResponse,
	log: HttpRequestLog,
	status: number,
	body: unknown,
	headers: Record<string, string> = {},
): void {
	sendBody(res, log, status, 'application/json; charset=utf-8', JSON.stringify(body), headers);
}

function retryAfterHeader(fault: Fault | undefined): Record<string, string> {
	return fault?.retryAfterSeconds !== undefined ? { 'retry-after': String(fault.retryAfterSeconds) } : {};
}

/** json_encode of the first `keep` entries of a batch section (a list or an object). */
function firstEntries(section: unknown, keep: number): unknown {
	if (Array.isArray(section)) return section.slice(0, keep);
	if (section === null || typeof section !== 'object') return section;
	return Object.fromEntries(Object.entries(section).slice(0, keep));
}

async function readRawBody(req: IncomingMessage): Promise<string> {
	const chunks: Buffer[] = [];
	for await (const chunk of req) chunks.push(chunk as Buffer);
	return Buffer.concat(chunks).toString('utf8');
}

/** /rest/USER/SECRET/METHOD is a webhook call, /rest/METHOD an OAuth call. */
function routeOf(segments: string[]): Route | undefined {
	if (segments[0] !== 'rest') return undefined;
	if (segments.length === 2) return { kind: 'oauth', method: normaliseMethod(segments[1]) };
	if (segments.length === 3 || segments.length === 4) {
		return {
			kind: 'webhook',
			userId: segments[1],
			secret: segments[2],
			method: normaliseMethod(segments[3] ?? ''),
		};
	}
	return undefined;
}

/** The logged path: the secret of a webhook route (/rest/USER/SECRET/...) never lands in the log. */
function redactedPath(url: URL): string {
	const route = routeOf(url.pathname.split('/').filter((segment) => segment !== ''));
	if (route?.kind !== 'webhook') return url.pathname + url.search;
	return url.pathname.replace(`/${route.userId}/${route.secret}`, `/${route.userId}/***`) + url.search;
}

export class PortalServer {
	readonly store = new MessageStore();
	readonly files = new FileStore();
	readonly calls: MethodCall[] = [];
	readonly httpRequests: HttpRequestLog[] = [];
	readonly stats: FakePortalStats = {
		httpRequests: 0,
		queryLimitRefusals: 0,
		operationTimeLimitRefusals: 0,
	};
	readonly faults = new FaultQueue();
	readonly eventLog: EventLog;
	readonly activity: ChatActivity;
	readonly bots: BotState;
	readonly webhook: { userId: number; secret: string; scopes: string[] };
	readonly oauthConfig: OAuthConfig;
	webhookRevoked = false;
	webhookScopes: string[];
	url = '';
	oauth!: OAuthServer;

	private readonly bucket: LeakyBucket | undefined;
	private readonly latencyMs: number;
	private readonly methods: Map<string, MethodDefinition>;
	private readonly hanging = new Set<ServerResponse>();
	private readonly server: Server;

	constructor(private readonly options: FakePortalOptions) {
		this.webhook = { ...DEFAULT_WEBHOOK, ...options.webhook };
		this.webhookScopes = [...this.webhook.scopes];
		this.oauthConfig = { ...DEFAULT_OAUTH, ...options.oauth } as OAuthConfig;
		this.bucket = options.rateLimit
			? new LeakyBucket(options.rateLimit.capacity, options.rateLimit.drainPerSecond)
			: undefined;
		this.latencyMs = options.latencyMs ?? 0;
		this.methods = createMethods(this.store, () => this.webhook.userId);
		for (const [name, definition] of createFileMethods(this.files, this.store)) this.methods.set(name, definition);
		this.eventLog = new EventLog(options.now);
		this.activity = new ChatActivity(this.store, this.eventLog);
		// Method names are case-insensitive (normaliseMethod lower-cases what callers send).
		for (const [name, definition] of createEventMethods(this.eventLog))
			this.methods.set(name.toLowerCase(), definition);
		this.bots = new BotState(this.store, options.now);
		const botMethods = createBotMethods({
			bots: this.bots,
			store: this.store,
			files: this.files,
			oauthClientId: () => this.oauthConfig.clientId,
		});
		for (const [name, definition] of botMethods) this.methods.set(name, definition);
		this.server = createServer((req, res) => {
			this.handle(req, res).catch((error: unknown) => {
				console.error('fake portal: unexpected failure', error);
				if (!res.headersSent && !res.destroyed) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(
						JSON.stringify({
							error: 'INTERNAL_SERVER_ERROR',
							error_description: 'Fake portal failure',
						}),
					);
				}
			});
		});
		// Keep-alive sockets must not hold close() up.
		this.server.keepAliveTimeout = 1000;
	}

	async listen(): Promise<void> {
		await new Promise<void>((resolve, reject) => {
			this.server.once('error', reject);
			this.server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
		});
		const { port } = this.server.address() as AddressInfo;
		this.url = `http://127.0.0.1:${port}`;
		this.oauth = new OAuthServer(this.oauthConfig, {
			restUrl: `${this.url}/rest/`,
			serverEndpoint: `${this.url}/oauth/rest/`,
		});
	}

	reset(): void {
		this.store.reset();
		this.files.reset();
		this.eventLog.reset();
		this.bots.reset();
		this.calls.length = 0;
		this.httpRequests.length = 0;
		this.stats.httpRequests = 0;
		this.stats.queryLimitRefusals = 0;
		this.stats.operationTimeLimitRefusals = 0;
		this.faults.clear();
		this.bucket?.reset();
		this.webhookRevoked = false;
		this.webhookScopes = [...this.webhook.scopes];
		if (this.oauth) this.oauth.clientEndpoint = undefined;
	}

	async close(): Promise<void> {
		for (const res of this.hanging) res.destroy();
		this.hanging.clear();
		const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
		this.server.closeAllConnections();
		await closed;
	}

	private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
		const arrivedAtMs = Date.now();
		this.stats.httpRequests++;
		const url = new URL(req.url ?? '/', 'http://127.0.0.1');
		const log: HttpRequestLog = {
			method: req.method ?? 'GET',
			path: redactedPath(url),
			headers: { ...req.headers },
			rawBody: '',
			status: 0,
			at: arrivedAtMs,
		};
		this.httpRequests.push(log);
		log.rawBody = await readRawBody(req);
		if (this.latencyMs > 0) await sleep(this.latencyMs);
		if (res.destroyed) return;

		const segments = url.pathname.split('/').filter((segment) => segment !== '');
		if (url.pathname === '/_demo/messages' || url.pathname === '/_demo/messages/') {
			sendJson(res, log, 200, this.store.messages);
			return;
		}
		if (url.pathname === '/_demo' || url.pathname === '/_demo/') {
			sendBody(res, log, 200, 'text/html; charset=utf-8', renderDemoPage(this.store.messages));
			return;
		}
		if (segments[0] === 'oauth' && segments[1] === 'token' && segments.length === 2) {
			const params = readParams(url.search, req.headers['content-type'], log.rawBody);
			const answer = this.oauth.handleTokenRequest(params, parseBasicCredentials(req.headers.authorization));
			sendJson(res, log, answer.status, answer.body);
			return;
		}
		const route = routeOf(segments);
		if (!route) {
			sendBody(res, log, 404, 'text/html; charset=utf-8', '<html>Not found</html>');
			return;
		}
		this.handleRest(route, url, req, res, log, arrivedAtMs);
	}

	private record(method: string, params: Record<string, unknown>, via: 'direct' | 'batch', outcome: string): void {
		this.calls.push({ method, params, via, outcome });
	}

	private handleRest(
		route: Route,
		url: URL,
		req: IncomingMessage,
		res: ServerResponse,
		log: HttpRequestLog,
		startedAtMs: number,
	): void {
		const params = readParams(url.search, req.headers['content-type'], log.rawBody);
		const method = route.method;
		const sendError = (error: RestError): void => sendJson(res, log, error.status, error.body(startedAtMs));

		const requestMethods =
			method === 'batch' ? [method, ...readBatchCommands(params.cmd).map((command) => command.method)] : [method];
		const wholeRequestFault = this.faults.takeForRequest(requestMethods);
		if (wholeRequestFault?.kind === 'html502') {
			this.record(method, params, 'direct', 'HTTP_502');
			sendBody(res, log, 502, 'text/html', HTML_502);
			return;
		}
		if (wholeRequestFault?.kind === 'html413') {
			this.record(method, params, 'direct', 'HTTP_413');
			sendBody(res, log, 413, 'text/html', HTML_413);
			return;
		}
		if (wholeRequestFault?.kind === 'redirect') {
			this.record(method, params, 'direct', 'REDIRECT');
			log.status = wholeRequestFault.status ?? 307;
			res.writeHead(log.status, {
				location: `${wholeRequestFault.redirectTo ?? ''}${url.pathname}${url.search}`,
				'content-length': 0,
			});
			res.end();
			return;
		}
		if (wholeRequestFault?.kind === 'jsonAnswer') {
			this.record(method, params, 'direct', `HTTP_${wholeRequestFault.status ?? 500}`);
			const headers = retryAfterHeader(wholeRequestFault);
			sendJson(res, log, wholeRequestFault.status ?? 500, wholeRequestFault.body ?? {}, headers);
			return;
		}
		if (wholeRequestFault?.kind === 'queryLimit' || (this.bucket && !this.bucket.tryAdd())) {
			this.stats.queryLimitRefusals++;
			this.record(method, params, 'direct', 'QUERY_LIMIT_EXCEEDED');
			const error = new RestError(503, 'QUERY_LIMIT_EXCEEDED', 'Too many requests');
			sendJson(res, log, error.status, error.body(startedAtMs), retryAfterHeader(wholeRequestFault));
			return;
		}

		const authentication = this.authenticate(route, params, req.headers.authorization);
		if (authentication instanceof RestError) {
			this.record(method, params, 'direct', authentication.code);
			sendError(authentication);
			return;
		}

		const effects: Effects = { after: undefined };
		if (method === 'batch') {
			const commands = readBatchCommands(params.cmd);
			if (commands.length > MAX_BATCH_COMMANDS) {
				const error = new RestError(400, 'ERROR_BATCH_LENGTH_EXCEEDED', 'Max batch length exceeded');
				this.record(method, params, 'direct', error.code);
				sendError(error);
				return;
			}
			this.record(method, params, 'direct', 'ok');
			const batchContext: CallContext = { ...authentication, via: 'batch' };
			const { body } = runBatch(
				commands,
				phpTruthy(params.halt),
				(subMethod, subParams) => {
					if (authentication.auth === 'oauth') delete subParams.auth;
					return this.runMethod(subMethod, subParams, batchContext, effects);
				},
				(command) => this.record(command.method, {}, 'batch', 'ERROR_BATCH_METHOD_NOT_ALLOWED'),
				this.options.maxInputVars,
			);
			if (wholeRequestFault?.kind === 'batchPartialAnswer') {
				const keep = wholeRequestFault.keep ?? 1;
				body.result = firstEntries(body.result, keep);
				body.result_time = firstEntries(body.result_time, keep);
			}
			// The batch's own time block is the batch method's: a refused command's reset time is
			// only in that command's result_time entry.
			this.answer(res, log, effects, () => sendJson(res, log, 200, { result: body, time: timeBlock(startedAtMs) }));
			return;
		}

		const outcome = this.runMethod(method, params, authentication, effects);
		this.answer(res, log, effects, () => {
			if (!outcome.ok) {
				sendError(outcome.error);
				return;
			}
			const body: Record<string, unknown> = { result: outcome.result };
			if (outcome.next !== undefined) body.next = outcome.next;
			if (outcome.total !== undefined) body.total = outcome.total;
			body.time = timeBlock(startedAtMs);
			sendJson(res, log, 200, body);
		});
	}

	/** Sends the normal answer, unless an after-create fault replaces it. */
	private answer(res: ServerResponse, log: HttpRequestLog, { after, fault }: Effects, sendNormal: () => void): void {
		if (after === 'jsonAnswerAfterCreate') {
			sendJson(res, log, fault?.status ?? 200, fault?.body ?? {}, retryAfterHeader(fault));
			return;
		}
		if (after === 'dropAfterCreate') {
			log.status = 0;
			res.socket?.destroy();
			return;
		}
		if (after === 'hang') {
			this.hanging.add(res);
			res.once('close', () => this.hanging.delete(res));
			return;
		}
		if (after === 'status500AfterCreate') {
			sendJson(res, log, 500, {
				error: 'INTERNAL_SERVER_ERROR',
				error_description: 'Internal server error',
			});
			return;
		}
		sendNormal();
	}

	private authenticate(
		route: Route,
		params: Record<string, unknown>,
		authorization: string | undefined,
	): RestError | CallContext {
		if (route.kind === 'webhook') {
			const valid =
				!this.webhookRevoked && route.userId === String(this.webhook.userId) && route.secret === this.webhook.secret;
			if (!valid) return new RestError(401, 'INVALID_CREDENTIALS', 'Invalid request credentials');
			return { via: 'direct', auth: 'webhook', scopes: this.webhookScopes, userId: this.webhook.userId };
		}
		const fromParam = typeof params.auth === 'string' ? params.auth : '';
		delete params.auth; // consumed by authentication, never a method parameter
		const fromHeader = /^Bearer\s+(\S+)/i.exec(authorization ?? '')?.[1] ?? '';
		const token = fromParam !== '' ? fromParam : fromHeader;
		if (token === '') return new RestError(401, 'NO_AUTH_FOUND', 'Wrong authorization data');
		const check = this.oauth.checkAccessToken(token);
		if (!check.ok) {
			return check.code === 'expired_token'
				? new RestError(401, 'expired_token', 'The access token provided has expired.')
				: new RestError(401, 'invalid_token', 'The access token provided is invalid.');
		}
		// The fake OAuth server issues every token to user 1 (its token answer says user_id 1).
		return { via: 'direct', auth: 'oauth', scopes: check.scopes, userId: 1 };
	}

	/** Runs one method call (direct or inside a batch) and records it. */
	private runMethod(
		method: string,
		params: Record<string, unknown>,
		context: CallContext,
		effects: Effects,
	): SubCallResult {
		const outcome = this.execute(method, params, context, effects);
		this.record(method, params, context.via, outcome.ok ? 'ok' : outcome.error.code);
		return outcome;
	}

	private execute(
		method: string,
		params: Record<string, unknown>,
		context: CallContext,
		effects: Effects,
	): SubCallResult {
		const definition = this.methods.get(method);
		if (!definition)
			return {
				ok: false,
				error: new RestError(404, 'ERROR_METHOD_NOT_FOUND', 'Method not found!'),
			};
		if (definition.scope !== null && !context.scopes.includes(definition.scope)) {
			const holder = context.auth === 'webhook' ? 'webhook token' : 'access token';
			return {
				ok: false,
				error: new RestError(
					401,
					'insufficient_scope',
					`The request requires higher privileges than provided by the ${holder}`,
				),
			};
		}
		const fault = this.faults.takeForCall(method);
		if (fault?.kind === 'error') {
			return {
				ok: false,
				error: new RestError(
					fault.status ?? 500,
					fault.code ?? 'INTERNAL_SERVER_ERROR',
					fault.description ?? 'Internal server error',
				),
			};
		}
		if (fault?.kind === 'operationTimeLimit') {
			this.stats.operationTimeLimitRefusals++;
			const resetAtMs = Date.now() + (fault.resetAfterMs ?? 1000);
			return {
				ok: false,
				error: new RestError(429, 'OPERATION_TIME_LIMIT', 'Method is blocked due to operation time limit.', resetAtMs),
			};
		}
		if (fault) {
			effects.after = fault.kind as AfterEffect;
			effects.fault = fault;
		}
		try {
			return { ok: true, ...definition.handler(params, context) };
		} catch (error) {
			if (error instanceof RestError) return { ok: false, error };
			// A bug in the fake itself: say so loudly, and answer like a portal that crashed.
			console.error(`fake portal: ${method} crashed`, error);
			return {
				ok: false,
				error: new RestError(500, 'INTERNAL_SERVER_ERROR', 'Fake portal crashed'),
			};
		}
	}
}
