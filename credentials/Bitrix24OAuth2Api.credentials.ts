import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/**
 * A Bitrix24 local or Market application, connected through n8n's OAuth2 flow. n8n stores the
 * token pair and refreshes it when Bitrix24 answers 401 expired_token; Bitrix24 rotates refresh
 * tokens, and n8n saves the new pair each time.
 */
export class Bitrix24OAuth2Api implements ICredentialType {
	name = 'bitrix24OAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Bitrix24 OAuth2 API';

	icon: Icon = { light: 'file:../icons/bitrix24.svg', dark: 'file:../icons/bitrix24.dark.svg' };

	documentationUrl = 'https://apidocs.bitrix24.com/api-reference/oauth/index.html';

	properties: INodeProperties[] = [
		{
			displayName: 'Portal URL',
			name: 'portalUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'mycompany.bitrix24.com',
			// n8n lists the fields of its generic OAuth2 credential first, so this one comes last;
			// the hint keeps what to paste visible without hovering.
			hint: 'Your Bitrix24 address, e.g. mycompany.bitrix24.com (https:// may be left out)',
			description:
				"The address of your Bitrix24, as in the browser's address bar when you are in it, e.g. mycompany.bitrix24.com. The https:// may be left out; anything after the domain is ignored.",
		},
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			// Bitrix24 serves the consent page on the portal itself.
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			// Written as an expression, as n8n resolves it: the scheme is added when missing and only
			// the origin is kept, the same rule the node applies to the Portal URL.
			default:
				'={{ $self["portalUrl"].trim().replace(/^(?![a-z][a-z0-9+.-]*:\\/\\/)/i, "https://").replace(/^([a-z][a-z0-9+.-]*:\\/\\/[^\\/?#]+).*$/i, "$1") + "/oauth/authorize/" }}',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'string',
			default: 'https://oauth.bitrix.info/oauth/token/',
			required: true,
			description:
				"Bitrix24's OAuth server. Keep the default for bitrix24.com/.de/.eu…; change it for other regions or a self-hosted portal.",
		},
		{
			// Bitrix24 grants the scopes ticked in the application's settings and ignores this one.
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: '',
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			default: '',
		},
		{
			// Bitrix24's token endpoint reads client_id and client_secret from the request, not from
			// an Authorization header.
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
	];
}
