import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { getDialogs } from '../Bitrix24/methods/loadDialogOptions';
import { EVENTS_SUBTITLE, triggerProperties } from './description';
import { userEventQueue } from './listen';
import { bitrix24Credentials } from '../Bitrix24/shared/authenticationDescription';
import { listen } from '../shared/listening/activeListener';

export class Bitrix24Trigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Trigger',
		name: 'bitrix24Trigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		// Version 1 was a polling trigger; its saved workflows load here unchanged (n8n drops the
		// old "Poll Times" parameter, and "Check Every" takes its default).
		version: 1,
		subtitle: EVENTS_SUBTITLE,
		description: 'Starts the workflow within seconds when a message arrives in a Bitrix24 chat (no public URL needed)',
		defaults: { name: 'Bitrix24 Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrix24Credentials,
		properties: triggerProperties,
	};

	methods = {
		loadOptions: { getDialogs },
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await listen(this, await userEventQueue(this));
	}
}
