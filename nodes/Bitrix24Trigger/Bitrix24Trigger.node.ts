import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeExecutionData, INodeType, INodeTypeDescription, IPollFunctions } from 'n8n-workflow';

import { getDialogs } from '../Bitrix24/methods/loadDialogOptions';
import { triggerProperties } from './description';
import { pollBitrix24Events } from './poll';
import { bitrix24Credentials } from '../Bitrix24/shared/authenticationDescription';

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ [].concat($parameter["events"] || []).join(", ") }}',
		description: 'Starts the workflow when a message arrives in a Bitrix24 chat (no public URL needed)',
		defaults: { name: 'Bitrix24 Trigger' },
		polling: true,
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrix24Credentials,
		properties: triggerProperties,
	};

	methods = {
		loadOptions: { getDialogs },
	};

	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollBitrix24Events(this);
	}
}
