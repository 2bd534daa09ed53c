import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions, INodeParameterResourceLocator, INodeProperties } from 'n8n-workflow';

import { invalidInputMessage } from '../shared/itemInput';
import { botTokenProblem } from '../shared/botToken';
import { callMethod, describeFailure, resolveConnection } from '../transport';
import type { Bitrix24Connection } from '../transport';
import { objectOf } from '../shared/jsonValue';
import { readSendOptions } from './sendOptions';

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

type BotChoice = { mode: 'id'; botId: number } | { mode: 'code'; code: string } | { problem: string };

/** The item's Bot field, checked: an ID from the list, or a code. */
function readBotChoice(context: IExecuteFunctions, itemIndex: number): BotChoice {
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

/** Bot codes resolved in this execution, per portal: Bot.get is asked once per code. */
const botIdsByExecution = new Map<string, Map<string, number>>();
const REMEMBERED_EXECUTIONS_LIMIT = 100;

function codeCacheFor(context: IExecuteFunctions, connection: Bitrix24Connection): Map<string, number> {
	const key = `${context.getExecutionId() ?? ''}\n${connection.portal}`;
	let cache = botIdsByExecution.get(key);
	if (!cache) {
		if (botIdsByExecution.size >= REMEMBERED_EXECUTIONS_LIMIT) {
			const oldest = botIdsByExecution.keys().next().value;
			if (oldest !== undefined) botIdsByExecution.delete(oldest);
		}
		cache = new Map();
		botIdsByExecution.set(key, cache);
	}
	return cache;
}

/** Each item's bot ID, or why the item has none (said as the item's error). */
export interface ResolvedBots {
	connection: Bitrix24Connection;
	/** The item's bot ID; throws the item's "Invalid Bot" error when it has none. */
	botIdFor(itemIndex: number): number;
}

/**
 * Checks the credential and resolves every item's Bot field before any bot call is sent: a webhook
 * credential without a usable bot token fails here, saying where to set it; codes become bot IDs
 * through imbot.v2.Bot.get (a read), once per code and execution.
 */
export async function resolveBots(context: IExecuteFunctions): Promise<ResolvedBots> {
	const connection = await resolveConnection(context);
	if (connection.authentication === 'webhook') {
		const problem = botTokenProblem(connection.botToken ?? 'missing');
		if (problem) throw new NodeOperationError(context.getNode(), problem);
	}
	const cache = codeCacheFor(context, connection);
	const outcomes = new Map<number, number | string>();
	const items = context.getInputData();
	for (let itemIndex = 0; itemIndex < items.length; itemIndex++) {
		const choice = readBotChoice(context, itemIndex);
		if ('problem' in choice) {
			outcomes.set(itemIndex, choice.problem);
			continue;
		}
		if (choice.mode === 'id') {
			outcomes.set(itemIndex, choice.botId);
			continue;
		}
		let botId = cache.get(choice.code);
		if (botId === undefined) {
			const { ratePlan, maxRetryWaitMs, timeoutMs } = readSendOptions(context, false);
			const settings = { ratePlan, maxRetryWaitMs, timeoutMs, idempotent: true };
			const answer = await callMethod(context, connection, 'imbot.v2.Bot.get', { code: choice.code }, settings);
			if (!answer.ok) {
				outcomes.set(itemIndex, `the bot "${choice.code}" could not be found: ${describeFailure(answer.failure)}`);
				continue;
			}
			const id = Number(objectOf(objectOf(answer.result).bot).id);
			if (!Number.isSafeInteger(id) || id <= 0) {
				outcomes.set(itemIndex, `Bitrix24 returned no bot ID for the code "${choice.code}"`);
				continue;
			}
			botId = id;
			cache.set(choice.code, botId);
		}
		outcomes.set(itemIndex, botId);
	}
	return {
		connection,
		botIdFor(itemIndex) {
			const outcome = outcomes.get(itemIndex);
			if (typeof outcome === 'number') return outcome;
			throw new NodeOperationError(
				context.getNode(),
				invalidInputMessage(itemIndex, 'Bot', outcome ?? 'no bot chosen'),
				{ itemIndex },
			);
		},
	};
}
