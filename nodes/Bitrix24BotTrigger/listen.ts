import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions } from 'n8n-workflow';

import { resolveConnection } from '../Bitrix24/transport';
import { queueTakenError, TEST_EVENT_LIMIT_MS } from '../shared/listening/activeListener';
import type { ListeningQueue } from '../shared/listening/activeListener';
import { eventQueueFeed } from '../shared/listening/eventQueue';
import type { RawEvent } from '../shared/listening/eventQueue';
import { matchingBotItem } from './botEventItem';
import { registerBot } from './botRegistration';
import { readBotTriggerSettings } from './botSettings';

/**
 * The bot's event queue (imbot.v2.Event.get, fetch mode): the same listening loop as the
 * Bitrix24 Trigger's. Parameters and credential are checked now, before any request, so a mistake
 * fails at once. Starting registers (or updates) the bot, in the editor's test too. Active, the
 * trigger claims the bot's queue in this process by its code. Bot calls go through the bots' own
 * pacing bucket (2 requests/s per application) in the transport.
 */
export async function botEventQueue(context: ITriggerFunctions): Promise<ListeningQueue<RawEvent>> {
	const settings = readBotTriggerSettings(context);
	const connection = await resolveConnection(context);
	const node = context.getNode();
	const { code } = settings.bot;
	return {
		queue: `${connection.portal}/bot/${code}`,
		triggerLabel: `Bitrix24 Bot Trigger "${node.name}"`,
		queueLabel: `the events of the bot "${code}"`,
		busyError: (heldBy) =>
			queueTakenError(node, heldBy, {
				message: `Another active Bitrix24 Bot Trigger already listens as the bot "${code}"`,
				whoseEvents: "this bot's events",
				eachQueue: "a bot's events",
				remedy: 'give this one another Bot Code.',
			}),
		start: async (signal) => {
			const bot = await registerBot(context, connection, settings.bot, signal);
			if (bot.changes.length > 0) {
				context.logger.info(
					`Bitrix24 Bot Trigger "${node.name}": bot "${bot.code}" (ID ${bot.botId}): ${bot.changes.join(', ')}`,
				);
			}
			return eventQueueFeed(
				context,
				connection,
				{ method: 'imbot.v2.Event.get', params: { botId: bot.botId } },
				signal,
			);
		},
		itemOf: (event) => matchingBotItem(event, settings),
		idleWaitMs: settings.checkEveryMs,
		testTimeoutError: () =>
			new NodeOperationError(node, 'No matching event reached the bot', {
				description: `Listened for ${TEST_EVENT_LIMIT_MS / 60_000} minutes to the bot "${code}". Write to the bot in a private dialog (or mention it in a group chat it is in) while the trigger listens.`,
			}),
	};
}
