import { Workflow } from 'n8n-workflow';
import type { INode, INodeTypes } from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../../credentials/Bitrix24OAuth2Api.credentials';
import { oauthEndpointOrProblem } from '../../../nodes/Bitrix24/transport/portalEndpoint';

/** The portal the node calls for a Portal URL, with a connected token that names no client_endpoint. */
function portalOrigin(typed: string): string | undefined {
	const endpoint = oauthEndpointOrProblem(typed, { access_token: 'connected' });
	return typeof endpoint === 'string' ? undefined : endpoint.portal;
}

const CASES: Array<[string, string]> = [
	['mycompany.bitrix24.com', 'https://mycompany.bitrix24.com'],
	['  https://mycompany.bitrix24.com/  ', 'https://mycompany.bitrix24.com'],
	['https://mycompany.bitrix24.com/online/?IM_DIALOG=chat1', 'https://mycompany.bitrix24.com'],
	['http://bitrix.example.local:8080/crm/', 'http://bitrix.example.local:8080'],
];

/** Resolves the credential's Authorization URL as n8n does: an expression over the credential's own fields. */
function authorizationUrl(portalUrl: string): unknown {
	const authUrl = new Bitrix24OAuth2Api().properties.find((property) => property.name === 'authUrl')?.default;
	const node: INode = {
		id: '1',
		name: 'Bitrix24',
		type: 'n8n-nodes-bitrix24.bitrix24',
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeTypes = {
		getByName: () => undefined,
		getByNameAndVersion: () => undefined,
		getKnownTypes: () => ({}),
	} as unknown as INodeTypes;
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return workflow.expression.getComplexParameterValue(node, authUrl as string, 'manual', {}, undefined, undefined, {
		portalUrl,
	});
}

describe('OAuth2 Portal URL', () => {
	it.each(CASES)('"%s" gives the consent page of %s', (typed, origin) => {
		expect(authorizationUrl(typed)).toBe(`${origin}/oauth/authorize/`);
	});

	it.each(CASES)('the node reads "%s" as the portal %s', (typed, origin) => {
		expect(portalOrigin(typed)).toBe(origin);
	});

	it.each(['', '   ', 'not a portal', 'ftp://mycompany.bitrix24.com'])('"%s" is not a portal address', (typed) => {
		expect(portalOrigin(typed)).toBeUndefined();
	});
});
