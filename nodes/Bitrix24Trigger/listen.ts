import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions } from 'n8n-workflow';

import { resolveConnection } from '../Bitrix24/transport';
import type { Bitrix24Connection, Bitrix24Context } from '../Bitrix24/transport';
import { queueTakenError, TEST_EVENT_LIMIT_MS } from '../shared/listening/activeListener';
import type { ListeningQueue } from '../shared/listening/activeListener';
import { callEventQueue, eventQueueFeed } from '../shared/listening/eventQueue';
import type { RawEvent } from '../shared/listening/eventQueue';
import { matchingItem } from './eventItem';
import { resolveOwnUserId } from './ownUser';
import { readTriggerSettings } from './settings';

/**
 * Bitrix24 gives no way to ask whether a user is still subscribed: a read after another app
 * unsubscribed the user just comes back empty. Subscribing again is idempotent and keeps what was
 * recorded, so the loop renews the subscription this often; at most this long of events can be
 * missed after someone else unsubscribes the user.
 */
export const RENEW_SUBSCRIPTION_EVERY_MS = 2 * 60 * 1000;

/** Starts (or keeps) recording the user's events. Idempotent, and keeps what was recorded. */
async function subscribe(context: Bitrix24Context, connection: Bitrix24Connection, signal: AbortSignal): Promise<void> {
	await callEventQueue(context, connection, 'im.v2.Event.subscribe', {}, signal);
}

/**
 * The event queue of the credential's Bitrix24 user (im.v2.Event.get). Parameters and credential
 * are checked now, before any request for events, so a mistake fails the activation (or shows in
 * the editor) at once. Active, the trigger fails to activate when another trigger reads the same
 * user, and renews the subscription as it reads.
 */
export async function userEventQueue(context: ITriggerFunctions): Promise<ListeningQueue<RawEvent>> {
	const settings = readTriggerSettings(context);
	const connection = await resolveConnection(context);
	const ownUserId = await resolveOwnUserId(context, connection);
	const node = context.getNode();
	let subscribedAt = Date.now();
	return {
		queue: `${connection.portal}/user/${ownUserId}`,
		triggerLabel: `Bitrix24 Trigger "${node.name}"`,
		queueLabel: `the events of Bitrix24 user ${ownUserId}`,
		busyError: (heldBy) =>
			queueTakenError(node, heldBy, {
				message: `Another active Bitrix24 Trigger already reads the events of Bitrix24 user ${ownUserId}`,
				whoseEvents: "this user's events",
				eachQueue: "each user's events",
				remedy: 'give this one a webhook (or OAuth connection) of another Bitrix24 user.',
			}),
		start: async (signal) => {
			await subscribe(context, connection, signal);
			subscribedAt = Date.now();
			return eventQueueFeed(context, connection, { method: 'im.v2.Event.get', params: {} }, signal);
		},
		itemOf: (event) => matchingItem(event, settings, ownUserId),
		idleWaitMs: settings.checkEveryMs,
		beforeRead: async (signal) => {
			if (Date.now() - subscribedAt < RENEW_SUBSCRIPTION_EVERY_MS) return;
			await subscribe(context, connection, signal);
			subscribedAt = Date.now();
		},
		testTimeoutError: () =>
			new NodeOperationError(node, 'No matching Bitrix24 event arrived', {
				description:
					`Listened for ${TEST_EVENT_LIMIT_MS / 60_000} minutes to the events of Bitrix24 user ${ownUserId}. Write a message in a chat ` +
					'this user belongs to (as another person, unless "Ignore Own Messages" is off) while the trigger listens.',
			}),
	};
}
