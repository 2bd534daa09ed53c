import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

/** Bot codes as Bitrix24 takes them and the Bot Trigger registers them: letters, digits, `_`. */
export const BOT_CODE_PATTERN = '^[A-Za-z0-9_]+$';

/** The Bot field of every Chat Bot operation: pick one of the application's bots, or give its code. */
export const botProperty: INodeProperties = {
	displayName: 'Bot',
	name: 'bot',
	type: 'resourceLocator',
	default: { mode: 'list', value: '' },
	required: true,
	displayOptions: { show: { resource: ['bot'] } },
	description:
		'The chat bot that speaks. Bots are registered by the Bitrix24 Bot Trigger (or any app using the same credential); only bots registered with this credential can be used.',
	modes: [
		{
			displayName: 'From List',
			name: 'list',
			type: 'list',
			placeholder: 'Select a bot…',
			typeOptions: { searchListMethod: 'searchBots', searchable: true, searchFilterRequired: false },
		},
		{
			displayName: 'By Code',
			name: 'code',
			type: 'string',
			placeholder: 'support_bot',
			hint: 'The bot code given when the bot was registered (Bot Trigger → Bot Code)',
			validation: [
				{
					type: 'regex',
					properties: { regex: BOT_CODE_PATTERN, errorMessage: 'Letters, digits and _ only, e.g. support_bot' },
				},
			],
		},
	],
};

export type BotChoice = { mode: 'id'; botId: number } | { mode: 'code'; code: string } | { problem: string };

/** The item's Bot field, checked: an ID from the list, or a code. */
export function readBotChoice(context: IExecuteFunctions, itemIndex: number): BotChoice {
	const raw = context.getNodeParameter('bot', itemIndex) as INodeParameterResourceLocator | string | number;
	const locator = typeof raw === 'object' && raw !== null ? raw : { mode: 'list', value: raw };
	const value = String(locator.value ?? '').trim();
	if (value === '') return { problem: 'no bot chosen. Pick a bot from the list or give its code' };
	if (locator.mode === 'code') {
		if (!new RegExp(BOT_CODE_PATTERN).test(value)) {
			return { problem: `"${value.slice(0, 40)}" is not a bot code (letters, digits and _ only)` };
		}
		return { mode: 'code', code: value };
	}
	const botId = /^\d+$/.test(value) ? Number(value) : Number.NaN;
	if (!Number.isSafeInteger(botId) || botId <= 0) {
		return { problem: `"${value.slice(0, 40)}" is not a bot ID (a positive whole number)` };
	}
	return { mode: 'id', botId };
}
