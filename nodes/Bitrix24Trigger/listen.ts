import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { subscribe, userEventFeed } from './eventStream';
import type { RawEvent } from './eventItem';
import { matchingItem, openReader } from './reader';
import { listenExclusively } from '../shared/listening/activeListener';

/**
 * Bitrix24 gives no way to ask whether a user is still subscribed: a read after another app
 * unsubscribed the user just comes back empty. Subscribing again is idempotent and keeps what was
 * recorded, so the loop renews the subscription this often; at most this long of events can be
 * missed after someone else unsubscribes the user.
 */
export const RENEW_SUBSCRIPTION_EVERY_MS = 2 * 60 * 1000;

/**
 * The active trigger: claims the user's event queue in this process, subscribes, and runs the
 * listening loop until n8n calls the close function. Activation fails (with the reason) when the
 * parameters, the credential or the subscription fail, or another trigger reads the same user.
 */
export async function listenInProduction(context: ITriggerFunctions): Promise<ITriggerResponse> {
	const reader = await openReader(context);
	const node = context.getNode();
	let subscribedAt = Date.now();
	return await listenExclusively<RawEvent>({
		context,
		queue: reader.queue,
		triggerLabel: `Bitrix24 Trigger "${node.name}"`,
		queueLabel: `the events of Bitrix24 user ${reader.ownUserId}`,
		busyError: (heldBy) =>
			new NodeOperationError(
				node,
				`Another active Bitrix24 Trigger already reads the events of Bitrix24 user ${reader.ownUserId}`,
				{
					description:
						`"${heldBy.nodeName}" in workflow "${heldBy.workflowName}" reads this user's events, and Bitrix24 gives each user's events ` +
						'to one reader only: two triggers would take events from each other. Deactivate the other workflow, or give this one a webhook ' +
						'(or OAuth connection) of another Bitrix24 user.',
				},
			),
		start: async (signal) => {
			await subscribe(context, reader.connection, signal);
			subscribedAt = Date.now();
			return userEventFeed(context, reader.connection, signal);
		},
		itemOf: (event) => matchingItem(event, reader),
		idleWaitMs: reader.settings.checkEveryMs,
		beforeRead: async (signal) => {
			if (Date.now() - subscribedAt < RENEW_SUBSCRIPTION_EVERY_MS) return;
			await subscribe(context, reader.connection, signal);
			subscribedAt = Date.now();
		},
	});
}
