import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { resolveConnection } from '../Bitrix24/transport';
import type { Bitrix24Connection } from '../Bitrix24/transport';
import { listenExclusively, listenForOneTestEvent, TEST_EVENT_LIMIT_MS } from '../shared/listening/activeListener';
import { botEventFeed } from './botEventFeed';
import { matchingBotItem } from './botEventItem';
import type { RawBotEvent } from './botEventItem';
import { registerBot } from './botRegistration';
import { readBotTriggerSettings } from './botSettings';
import type { BotTriggerSettings } from './botSettings';

interface BotReader {
	settings: BotTriggerSettings;
	connection: Bitrix24Connection;
}

async function openBotReader(context: ITriggerFunctions): Promise<BotReader> {
	// Parameters first: a wrong value fails before any request is sent.
	const settings = readBotTriggerSettings(context);
	const connection = await resolveConnection(context);
	return { settings, connection };
}

/** Registers (or updates) the bot and returns its event queue. */
async function startBot(context: ITriggerFunctions, reader: BotReader, signal: AbortSignal) {
	const bot = await registerBot(context, reader.connection, reader.settings.bot, signal);
	if (bot.changes.length > 0) {
		context.logger.info(
			`Bitrix24 Bot Trigger "${context.getNode().name}": bot "${bot.code}" (ID ${bot.botId}): ${bot.changes.join(', ')}`,
		);
	}
	return botEventFeed(context, reader.connection, bot.botId, signal);
}

/**
 * The active Bot Trigger: claims the bot's queue in this process (by its code), registers or
 * updates the bot, and runs the same listening loop as the Bitrix24 Trigger on imbot.v2.Event.get.
 */
export async function listenAsBot(context: ITriggerFunctions): Promise<ITriggerResponse> {
	const reader = await openBotReader(context);
	const node = context.getNode();
	const { code } = reader.settings.bot;
	return await listenExclusively<RawBotEvent>({
		context,
		queue: `${reader.connection.portal}/bot/${code}`,
		triggerLabel: `Bitrix24 Bot Trigger "${node.name}"`,
		queueLabel: `the events of the bot "${code}"`,
		busyError: (heldBy) =>
			new NodeOperationError(node, `Another active Bitrix24 Bot Trigger already listens as the bot "${code}"`, {
				description:
					`"${heldBy.nodeName}" in workflow "${heldBy.workflowName}" reads this bot's events, and Bitrix24 gives a bot's events ` +
					'to one reader only: two triggers would take events from each other. Deactivate the other workflow, or give this one another Bot Code.',
			}),
		start: async (signal) => await startBot(context, reader, signal),
		itemOf: (event) => matchingBotItem(event, reader.settings),
		idleWaitMs: reader.settings.checkEveryMs,
	});
}

/** The editor's "Listen for test event": registers the bot too, then one matching event, nothing confirmed. */
export async function listenAsBotForTestEvent(context: ITriggerFunctions): Promise<ITriggerResponse> {
	const reader = await openBotReader(context);
	return listenForOneTestEvent({
		context,
		start: async (signal) => await startBot(context, reader, signal),
		itemOf: (event) => matchingBotItem(event, reader.settings),
		timeoutError: () =>
			new NodeOperationError(context.getNode(), 'No matching event reached the bot', {
				description: `Listened for ${TEST_EVENT_LIMIT_MS / 60_000} minutes to the bot "${reader.settings.bot.code}". Write to the bot in a private dialog (or mention it in a group chat it is in) while the trigger listens.`,
			}),
	});
}
