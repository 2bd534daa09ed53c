import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { subscribe, userEventFeed } from './eventStream';
import { matchingItem, openReader } from './reader';
import { listenForOneTestEvent, TEST_EVENT_LIMIT_MS } from '../shared/listening/activeListener';

/** The editor's "Listen for test event": one matching event, nothing confirmed. */
export async function listenForTestEvent(context: ITriggerFunctions): Promise<ITriggerResponse> {
	// Parameters and credential are checked now, so a mistake shows at once.
	const reader = await openReader(context);
	return listenForOneTestEvent({
		context,
		start: async (signal) => {
			await subscribe(context, reader.connection, signal);
			return userEventFeed(context, reader.connection, signal);
		},
		itemOf: (event) => matchingItem(event, reader),
		timeoutError: () =>
			new NodeOperationError(context.getNode(), 'No matching Bitrix24 event arrived', {
				description:
					`Listened for ${TEST_EVENT_LIMIT_MS / 60_000} minutes to the events of Bitrix24 user ${reader.ownUserId}. Write a message in a chat ` +
					'this user belongs to (as another person, unless "Ignore Own Messages" is off) while the trigger listens.',
			}),
	});
}
