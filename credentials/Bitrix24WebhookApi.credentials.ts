import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { MAX_BOT_TOKEN_LENGTH, withBotToken } from '../nodes/Bitrix24/shared/botToken';
import { addressedToWebhook } from '../nodes/Bitrix24/shared/webhookRequestAddress';
import { parseWebhookUrl, WEBHOOK_URL_EXPECTED_FORM } from '../nodes/Bitrix24/shared/webhookUrl';

/**
 * A Bitrix24 inbound webhook: one URL that carries the portal, the user and the secret.
 * The node's requests name only the REST method (`url: 'im.message.add.json'`); `authenticate`
 * puts the webhook base in front of it, so the secret never passes through node code. n8n's HTTP
 * Request node (the "Custom API Call" entry) sends `https://<portal>/rest/<method>`, and the
 * secret is put into that path, for the portal's own origin only.
 */
export class Bitrix24WebhookApi implements ICredentialType {
	name = 'bitrix24WebhookApi';

	displayName = 'Bitrix24 Webhook API';

	icon: Icon = { light: 'file:../icons/bitrix24.svg', dark: 'file:../icons/bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/local-integrations/local-webhooks.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Webhook URL',
			name: 'webhookUrl',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			placeholder: WEBHOOK_URL_EXPECTED_FORM,
			description:
				'The inbound webhook URL exactly as Bitrix24 shows it (Developer resources → Other → Inbound webhook). It must have the "im" scope. The part after the user ID is a secret: treat the URL like a password.',
			// Self-hosted portals on a LAN often have no certificate, so http:// stays allowed.
			// Where to find the URL is the first thing a new user needs, so it is shown, not hidden
			// behind the "?" icon.
			hint: 'In Bitrix24: Developer resources → Other → Inbound webhook, tick the "im" scope, then copy the URL shown there. An http:// URL sends the secret in clear text: use it only for a self-hosted portal on a network you trust.',
		},
		{
			displayName: 'Bot Token',
			name: 'botToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			placeholder: 'A secret you choose, up to 40 characters',
			description: `Only for Chat Bot operations and the Bot Trigger. Bitrix24 wants this secret on every chat bot call made through a webhook; the bot belongs to it. Choose any secret of up to ${MAX_BOT_TOKEN_LENGTH} printable characters without spaces (e.g. from a password generator), keep it, and use the same one for the same bot. It cannot be recovered: a bot whose token is lost can no longer be controlled through a webhook.`,
			hint: `Up to ${MAX_BOT_TOKEN_LENGTH} characters, no spaces. Leave empty if you do not use chat bots.`,
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		// Chat bot calls also carry the bot token, added here so that node code never holds it. It
		// is added while the URL is still the bare method name, before the request is addressed.
		const withToken = withBotToken(credentials.botToken, requestOptions);
		return addressedToWebhook(parseWebhookUrl(credentials.webhookUrl), withToken);
	};

	// The test asks for one recent chat: it needs the `im` scope, so one call tells apart a
	// wrong URL, a revoked secret and a webhook without the scope. Rules run in order on the
	// answer body (errors included, thanks to ignoreHttpStatusErrors); the last one catches
	// anything that is not a Bitrix24 answer, such as a 404 page from the wrong host.
	test: ICredentialTestRequest = {
		request: {
			method: 'POST',
			url: 'im.recent.list.json',
			body: { LIMIT: 1 },
			json: true,
			ignoreHttpStatusErrors: true,
			// A redirect would carry the secret (it is in the path) to the Location's host.
			disableFollowRedirect: true,
		},
		rules: [
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'insufficient_scope',
					message:
						'The webhook works but lacks the "im" scope: edit the inbound webhook in Bitrix24, tick "Chat and notifications (im)", save, and try again',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'INVALID_CREDENTIALS',
					message:
						'Bitrix24 refused the webhook secret (INVALID_CREDENTIALS): the webhook was deleted or re-created. Copy the current URL from Bitrix24',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'error',
					value: 'NO_AUTH_FOUND',
					message:
						'Bitrix24 did not recognise the webhook (NO_AUTH_FOUND): check the user ID and secret in the URL, or re-create the webhook',
				},
			},
			{
				type: 'responseSuccessBody',
				properties: {
					key: 'result',
					value: undefined,
					message: `This URL did not answer like a Bitrix24 inbound webhook. Expected form: ${WEBHOOK_URL_EXPECTED_FORM}`,
				},
			},
		],
	};
}
