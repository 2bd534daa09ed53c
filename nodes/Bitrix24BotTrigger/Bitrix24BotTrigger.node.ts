import { NodeConnectionTypes } from 'n8n-workflow';
import type { INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { bitrix24Credentials } from '../Bitrix24/shared/authenticationDescription';
import { botTriggerProperties } from './description';
import { botEventQueue } from './listen';
import { listen } from '../shared/listening/activeListener';

export class Bitrix24BotTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bitrix24 Bot Trigger',
		name: 'bitrix24BotTrigger',
		icon: { light: 'file:../../icons/bitrix24.svg', dark: 'file:../../icons/bitrix24.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle: '={{ $parameter["botCode"] }}',
		description:
			'Runs a Bitrix24 chat bot: registers it, and starts the workflow within seconds when someone writes to it, uses a command or presses its button (no public URL needed)',
		defaults: { name: 'Bitrix24 Bot Trigger' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: bitrix24Credentials,
		properties: botTriggerProperties,
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await listen(this, await botEventQueue(this));
	}
}
