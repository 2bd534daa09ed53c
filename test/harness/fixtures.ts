import type { ICredentialDataDecryptedObject, INodeParameters } from 'n8n-workflow';

import { startFakePortal } from '../fakePortal';
import type { FakePortal, FakePortalOptions } from '../fakePortal';

/** The fake portal's default webhook code: the secret part of its webhook URL. */
export { FAKE_WEBHOOK_CODE as WEBHOOK_CODE } from '../fakePortal';

/** Starts a fake portal for the test file and clears its state before every test. */
export function useFakePortal(options: FakePortalOptions = {}): () => FakePortal {
	let portal: FakePortal | undefined;
	beforeAll(async () => {
		portal = await startFakePortal(options);
	});
	beforeEach(() => portal?.reset());
	afterAll(async () => {
		await portal?.close();
	});
	return () => {
		if (!portal) throw new Error('fake portal not started');
		return portal;
	};
}

export function webhookCredentials(portal: FakePortal): Record<string, ICredentialDataDecryptedObject> {
	return { bitrix24WebhookApi: { webhookUrl: portal.webhookUrl } };
}

export function sendParameters(overrides: INodeParameters = {}): INodeParameters {
	return {
		authentication: 'webhook',
		dialogId: { __rl: true, mode: 'id', value: 'chat1' },
		message: 'Hello from n8n',
		...overrides,
	};
}

/** An expression that reads a field of the current item, as a user would write it. */
export const fromItem = (field: string) => `={{ $json.${field} }}`;

/** A Dialog picker typed By ID (or an expression), as n8n stores it. */
export const dialogById = (value: string | number): INodeParameters => ({ __rl: true, mode: 'id', value });

/** The Users field (one person picker per entry), each entry typed By ID or an expression. */
export const people = (...values: Array<string | number>): INodeParameters => ({
	user: values.map((value) => ({ userId: { __rl: true, mode: 'id', value } })),
});

/**
 * What n8n stores for an attachment, keyboard or menu given as JSON in the editor; `json` is the
 * text typed into the JSON editor or an expression.
 */
export const richJson = (json: string): INodeParameters => ({ content: { mode: 'json', json } });
