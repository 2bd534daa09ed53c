import type { IDataObject, IHttpRequestOptions } from 'n8n-workflow';

/**
 * The bot token of a webhook credential: the secret Bitrix24's Chatbots 2.0 API (`imbot.v2.*`)
 * wants on every call made through an inbound webhook, chosen by whoever registers the bot. It
 * names the bot's owner: a bot registered with one token answers only to that token.
 *
 * Design: node code never reads the token. The credential's `authenticate` adds it to each
 * `imbot.v2.*` request on its way out (see `withBotToken`), exactly as it adds the webhook secret,
 * so the token exists only in the credential and in the request body sent to the portal. Node code
 * only learns whether a usable token is set (`botTokenState`), to fail before sending.
 *
 * Bot calls never go through `batch`: a batch's `cmd` strings would need the token written into
 * them, and Bitrix24 counts its 2 requests per second per application for bots per method call,
 * so batching would gain nothing there.
 */

/** Bitrix24 refuses longer tokens (BOT_TOKEN_INVALID_LENGTH) for bots registered since 06.08.2026. */
export const MAX_BOT_TOKEN_LENGTH = 40;

/**
 * Printable ASCII without spaces: survives JSON, form and query encodings unchanged and cannot be
 * mistyped as a look-alike character. Bitrix24 documents no alphabet; this is what its examples use.
 */
const BOT_TOKEN_ALPHABET = /^[\x21-\x7E]+$/;

export type BotTokenState = 'set' | 'missing' | 'tooLong' | 'badCharacters';

export function botTokenState(value: unknown): BotTokenState {
	const token = typeof value === 'string' ? value.trim() : '';
	if (token === '') return 'missing';
	if (token.length > MAX_BOT_TOKEN_LENGTH) return 'tooLong';
	if (!BOT_TOKEN_ALPHABET.test(token)) return 'badCharacters';
	return 'set';
}

const WHERE_TO_SET =
	'Open the Bitrix24 Webhook API credential and fill in "Bot Token" (any secret of up to 40 letters, digits or symbols; the same one every time for the same bot), or use the OAuth2 credential, which needs no bot token';

/** Why a webhook credential cannot call the bot API, without ever quoting the token; undefined when it can. */
export function botTokenProblem(state: BotTokenState): string | undefined {
	switch (state) {
		case 'set':
			return undefined;
		case 'missing':
			return `Chat bot operations through a webhook need a bot token, and the credential has none. ${WHERE_TO_SET}`;
		case 'tooLong':
			return `The credential's "Bot Token" is longer than the ${MAX_BOT_TOKEN_LENGTH} characters Bitrix24 accepts. ${WHERE_TO_SET}`;
		case 'badCharacters':
			return `The credential's "Bot Token" contains spaces or characters other than printable ASCII. ${WHERE_TO_SET}`;
	}
}

/** `imbot.v2.Chat.Message.send.json` → `Chat.Message.send`; undefined for any other request. */
function botMethodOf(url: string | undefined): string | undefined {
	// Relative URLs only: the webhook credential resolves them against the portal's REST base, so
	// the token can never be added to a request bound for another host.
	const match = /^imbot\.v2\.([A-Za-z.]+?)(?:\.json)?$/.exec(url ?? '');
	return match?.[1];
}

/** `{"a":1}` → `{"botToken":"…","a":1}` without parsing the (possibly 100 MB) JSON text. */
function prependToJsonObject(bytes: Buffer, token: string): Buffer | undefined {
	if (bytes.length < 2 || bytes[0] !== 0x7b /* { */) return undefined;
	const isEmpty = bytes.subarray(1).toString('utf8').trim() === '}';
	const head = Buffer.from(`{"botToken":${JSON.stringify(token)}${isEmpty ? '' : ','}`, 'utf8');
	return Buffer.concat([head, bytes.subarray(1)]);
}

/**
 * The request with the bot token where Bitrix24 reads it: inside `fields` for `Bot.register`, at
 * the top level beside `botId` for every other `imbot.v2` method (CB2 docs, each method's page).
 * Any other request, an unusable token, or a body of another shape is returned unchanged: the
 * portal then answers BOT_TOKEN_NOT_SPECIFIED, which the node has already ruled out before sending.
 */
export function withBotToken(botToken: unknown, requestOptions: IHttpRequestOptions): IHttpRequestOptions {
	const method = botMethodOf(requestOptions.url);
	if (method === undefined || method === 'Revision.get') return requestOptions;
	if (botTokenState(botToken) !== 'set') return requestOptions;
	const token = (botToken as string).trim();
	const body = requestOptions.body;
	if (Buffer.isBuffer(body)) {
		const withToken = prependToJsonObject(body, token);
		return withToken ? { ...requestOptions, body: withToken } : requestOptions;
	}
	if (body === null || typeof body !== 'object' || Array.isArray(body)) return requestOptions;
	const params = body as IDataObject;
	if (method === 'Bot.register') {
		const fields = params.fields !== null && typeof params.fields === 'object' ? (params.fields as IDataObject) : {};
		return { ...requestOptions, body: { ...params, fields: { ...fields, botToken: token } } };
	}
	return { ...requestOptions, body: { ...params, botToken: token } };
}
