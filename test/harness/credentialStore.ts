import { ICredentialsHelper } from 'n8n-workflow';
import type {
	ICredentialDataDecryptedObject,
	ICredentials,
	ICredentialType,
	IHttpRequestOptions,
	INodeCredentialsDetails,
	INodeProperties,
	IRequestOptionsSimplified,
	IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

import { Bitrix24OAuth2Api } from '../../credentials/Bitrix24OAuth2Api.credentials';
import { Bitrix24WebhookApi } from '../../credentials/Bitrix24WebhookApi.credentials';

export const CREDENTIAL_TYPES: Record<string, ICredentialType> = {
	bitrix24WebhookApi: new Bitrix24WebhookApi(),
	bitrix24OAuth2Api: new Bitrix24OAuth2Api(),
};

/**
 * Stands in for n8n's credential store and CredentialsHelper: holds decrypted credentials by ID,
 * applies each credential type's `authenticate`, and persists OAuth token updates the way n8n
 * does, so a test can check that a refreshed token survives into the next run.
 */
export class TestCredentialStore extends ICredentialsHelper {
	private readonly data = new Map<string, { type: string; data: ICredentialDataDecryptedObject }>();

	readonly tokenUpdates: ICredentialDataDecryptedObject[] = [];

	set(id: string, type: string, data: ICredentialDataDecryptedObject): void {
		this.data.set(id, { type, data: structuredClone(data) });
	}

	get(id: string): ICredentialDataDecryptedObject | undefined {
		const entry = this.data.get(id);
		return entry && structuredClone(entry.data);
	}

	getParentTypes(name: string): string[] {
		const type = CREDENTIAL_TYPES[name];
		return type?.extends ?? [];
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(
		credentials: ICredentialDataDecryptedObject,
		typeName: string,
		requestOptions: IHttpRequestOptions | IRequestOptionsSimplified,
	): Promise<IHttpRequestOptions> {
		const authenticate = CREDENTIAL_TYPES[typeName]?.authenticate;
		if (typeof authenticate === 'function') {
			return await authenticate(credentials, requestOptions as IHttpRequestOptions);
		}
		return requestOptions as IHttpRequestOptions;
	}

	async preAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async runPreAuthentication(): Promise<ICredentialDataDecryptedObject | undefined> {
		return undefined;
	}

	async getCredentials(): Promise<ICredentials> {
		throw new Error('getCredentials is not used by these tests');
	}

	async getDecrypted(
		_additionalData: IWorkflowExecuteAdditionalData,
		nodeCredentials: INodeCredentialsDetails,
		type: string,
	): Promise<ICredentialDataDecryptedObject> {
		const entry = nodeCredentials.id ? this.data.get(nodeCredentials.id) : undefined;
		if (!entry || entry.type !== type) {
			throw new Error(`No test credential "${nodeCredentials.id}" of type ${type}`);
		}
		return structuredClone(entry.data);
	}

	async updateCredentials(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		if (nodeCredentials.id) this.set(nodeCredentials.id, type, data);
	}

	async updateCredentialsOauthTokenData(
		nodeCredentials: INodeCredentialsDetails,
		type: string,
		data: ICredentialDataDecryptedObject,
	): Promise<void> {
		this.tokenUpdates.push(structuredClone(data));
		await this.updateCredentials(nodeCredentials, type, data);
	}

	getCredentialsProperties(type: string): INodeProperties[] {
		return CREDENTIAL_TYPES[type]?.properties ?? [];
	}
}
