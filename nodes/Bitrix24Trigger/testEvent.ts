import { NodeOperationError } from 'n8n-workflow';
import type { ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { waitUnlessStopped } from '../Bitrix24/transport/wait';
import { fetchEvents, subscribe } from './eventStream';
import { matchingItem, openReader } from './reader';
import type { Reader } from './reader';
import { MIN_PAGE_GAP_MS } from '../shared/listening/listeningLoop';

/** "Listen for test event" gives up after this long. */
export const TEST_EVENT_LIMIT_MS = 5 * 60 * 1000;

/**
 * Waits for the next matching event, reading without an offset: Bitrix24 returns the oldest
 * unconfirmed events and confirms none of them, so an active workflow on the same user still gets
 * every event. Events already waiting when the listening started are not "next" and are skipped.
 */
async function waitForTestEvent(context: ITriggerFunctions, reader: Reader, signal: AbortSignal): Promise<void> {
	await subscribe(context, reader.connection, signal);
	const waiting = new Set<unknown>();
	for (const event of (await fetchEvents(context, reader.connection, undefined, signal)).events) {
		waiting.add(event.eventId);
	}
	const giveUpAt = Date.now() + TEST_EVENT_LIMIT_MS;
	while (Date.now() < giveUpAt) {
		if (!(await waitUnlessStopped(MIN_PAGE_GAP_MS, signal))) return;
		const page = await fetchEvents(context, reader.connection, undefined, signal);
		if (signal.aborted) return;
		for (const event of page.events) {
			if (waiting.has(event.eventId)) continue;
			waiting.add(event.eventId);
			const item = matchingItem(event, reader);
			if (item) {
				// n8n sets its own emit once trigger() has returned: look it up only now.
				context.emit([[{ json: item }]]);
				return;
			}
		}
	}
	throw new NodeOperationError(context.getNode(), 'No matching Bitrix24 event arrived', {
		description:
			`Listened for ${TEST_EVENT_LIMIT_MS / 60_000} minutes to the events of Bitrix24 user ${reader.ownUserId}. Write a message in a chat ` +
			'this user belongs to (as another person, unless "Ignore Own Messages" is off) while the trigger listens.',
	});
}

/** The editor's "Listen for test event": one matching event, nothing confirmed. */
export async function listenForTestEvent(context: ITriggerFunctions): Promise<ITriggerResponse> {
	// Parameters and credential are checked now, so a mistake shows at once.
	const reader = await openReader(context);
	const abort = new AbortController();
	return {
		closeFunction: async () => abort.abort(),
		manualTriggerFunction: async () => {
			void waitForTestEvent(context, reader, abort.signal).catch((error: unknown) => {
				if (!abort.signal.aborted) context.emitError(error instanceof Error ? error : new Error(String(error)));
			});
		},
	};
}
