import type { ITriggerFunctions } from 'n8n-workflow';

import { resolveConnection } from '../Bitrix24/transport';
import type { Bitrix24Connection } from '../Bitrix24/transport';
import { flattenEvent, passesFilters } from './eventItem';
import type { RawEvent, TriggerItem } from './eventItem';
import { resolveOwnUserId } from './ownUser';
import { readTriggerSettings } from './settings';
import type { TriggerSettings } from './settings';

/** What a trigger needs to read one Bitrix24 user's events, checked before any read. */
export interface Reader {
	settings: TriggerSettings;
	connection: Bitrix24Connection;
	ownUserId: number;
	/** Portal and user: one Bitrix24 event queue. */
	queue: string;
}

export async function openReader(context: ITriggerFunctions): Promise<Reader> {
	// Parameters first: a wrong value fails before any request is sent.
	const settings = readTriggerSettings(context);
	const connection = await resolveConnection(context);
	const ownUserId = await resolveOwnUserId(context, connection);
	return { settings, connection, ownUserId, queue: `${connection.portal}/user/${ownUserId}` };
}

/** The flat item for an event, or undefined when the event type or the filters rule it out. */
export function matchingItem(event: RawEvent, reader: Reader): TriggerItem | undefined {
	const item = flattenEvent(event, reader.ownUserId);
	return item && passesFilters(item, reader.settings, reader.ownUserId) ? item : undefined;
}
