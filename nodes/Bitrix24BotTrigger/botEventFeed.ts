import type { Bitrix24Connection, Bitrix24Context } from '../Bitrix24/transport';
import { chatKeyOf, numberOf, readEventPage } from '../Bitrix24Trigger/eventStream';
import type { EventFeed } from '../shared/listening/eventFeed';
import type { RawBotEvent } from './botEventItem';

/** imbot.v2.Event.get accepts 1–1000 events per call. */
const BOT_EVENTS_PER_PAGE = 1000;

/**
 * One bot's event queue (imbot.v2.Event.get, fetch mode) as the shared listening loop reads it.
 * As with a user's queue, `offset` confirms for every reader every event below it. Bot calls go
 * through the bots' own pacing bucket (2 requests/s per application) in the transport.
 */
export function botEventFeed(
	context: Bitrix24Context,
	connection: Bitrix24Connection,
	botId: number,
	signal: AbortSignal,
): EventFeed<RawBotEvent> {
	const read = async (offset: number | undefined, readSignal: AbortSignal | undefined, limit: number) =>
		await readEventPage(context, connection, 'imbot.v2.Event.get', { botId }, offset, readSignal, limit);
	return {
		read: async (offset) => await read(offset, signal, BOT_EVENTS_PER_PAGE),
		// After the stop: no signal (it is aborted), one event asked for, and that one not delivered.
		confirm: async (offset) => {
			await read(offset, undefined, 1);
		},
		eventIdOf: (event) => numberOf(event.eventId),
		dialogKeyOf: chatKeyOf,
	};
}
