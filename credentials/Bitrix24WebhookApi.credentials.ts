import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { parseWebhookUrl, WEBHOOK_URL_EXPECTED_FORM } from '../nodes/Bitrix24/transport/webhookUrl';

/**
 * A Bitrix24 inbound webhook: one URL that carries the portal, the user and the secret.
 * Requests name only the REST method (`url: 'im.message.add.json'`); `authenticate` puts the
 * webhook base in front of it, so the secret never passes through node code.
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
			hint: 'An http:// URL sends the secret in clear text: use it only for a self-hosted portal on a network you trust. Bitrix24 cloud portals need https://.',
		},
	];

	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const { restBase } = parseWebhookUrl(credentials.webhookUrl);
		return { ...requestOptions, baseURL: restBase };
	};

	// No declarative `test`: the nodes' `testedBy` points n8n to bitrix24WebhookApiTest, which words
	// a portal that cannot be reached instead of showing n8n's bare network code.
}
