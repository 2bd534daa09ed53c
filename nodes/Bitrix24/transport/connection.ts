import { NodeOperationError } from 'n8n-workflow';
import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
	IWebhookFunctions,
} from 'n8n-workflow';

import { oauthEndpointOrProblem } from './portalEndpoint';
import { botTokenState } from '../shared/botToken';
import type { BotTokenState } from '../shared/botToken';
import { InvalidWebhookUrlError, parseWebhookUrl } from '../shared/webhookUrl';

export type Bitrix24Authentication = 'webhook' | 'oAuth2';

export function credentialTypeFor(authentication: Bitrix24Authentication): string | undefined {
	switch (authentication) {
		case 'webhook':
			return 'bitrix24WebhookApi';
		case 'oAuth2':
			return 'bitrix24OAuth2Api';
		default:
			return undefined;
	}
}

/**
 * Triggers call Bitrix24 too, and the send-and-wait webhook (to edit the answered question):
 * their helpers carry the same httpRequestWithAuthentication.
 */
export type Bitrix24Context =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| ITriggerFunctions
	| IWebhookFunctions;

/**
 * Where and how to call one portal. Holds no secret: the webhook secret is added by the
 * credential's `authenticate`, the OAuth token by n8n's OAuth2 helper.
 */
export interface Bitrix24Connection {
	authentication: Bitrix24Authentication;
	credentialType: string;
	/** The portal origin, the key of the client-side rate limiter: Bitrix24 limits per portal. */
	portal: string;
	/** The request URL for a REST method: relative for webhooks (the credential adds the base). */
	urlFor(method: string): string;
	/**
	 * Webhooks only: whether the credential holds a usable bot token for `imbot.v2` calls. The token
	 * itself stays in the credential; its `authenticate` adds it to each bot request.
	 */
	botToken?: BotTokenState;
}

export async function resolveConnection(context: Bitrix24Context): Promise<Bitrix24Connection> {
	const authentication = context.getNodeParameter('authentication', 0, 'webhook') as Bitrix24Authentication;
	const credentialType = credentialTypeFor(authentication);
	if (!credentialType) {
		throw new NodeOperationError(context.getNode(), `Unknown authentication "${String(authentication)}"`);
	}
	const credentials = await context.getCredentials(credentialType);

	if (authentication === 'webhook') {
		try {
			const { origin } = parseWebhookUrl(credentials.webhookUrl);
			return {
				authentication,
				credentialType,
				portal: origin,
				urlFor: (method) => `${method}.json`,
				botToken: botTokenState(credentials.botToken),
			};
		} catch (error) {
			const reason = error instanceof InvalidWebhookUrlError ? error.message : 'it could not be read';
			throw new NodeOperationError(context.getNode(), `Credential "Webhook URL": ${reason}`);
		}
	}

	// OAuth2: the access token travels as `Authorization: Bearer`, added (and re-added after a
	// refresh) by n8n's OAuth2 helper. Bitrix24 documents the `auth` parameter, and its REST
	// module reads the Bearer header too; the header keeps the token out of bodies, URLs and
	// batch command strings, where proxies and logs would record it.
	// Bitrix24 returns the portal's REST base as `client_endpoint` with every token (portals can
	// move domains); oauthEndpoint decides whether it may be trusted with the token.
	const endpoint = oauthEndpointOrProblem(credentials.portalUrl, credentials.oauthTokenData);
	if (typeof endpoint === 'string') throw new NodeOperationError(context.getNode(), endpoint);
	const { restBase, portal } = endpoint;
	return { authentication, credentialType, portal, urlFor: (method) => `${restBase}${method}` };
}
