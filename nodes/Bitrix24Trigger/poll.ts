import { NodeOperationError } from 'n8n-workflow';
import type { INodeExecutionData, IPollFunctions } from 'n8n-workflow';

import { resolveConnection } from '../Bitrix24/transport/connection';
import type { Bitrix24Connection } from '../Bitrix24/transport/connection';
import { flattenEvent, passesFilters } from './eventItem';
import type { RawEvent, TriggerItem } from './eventItem';
import { failureToNodeApiError } from '../Bitrix24/transport/errors';
import { fetchEvents, subscribe, tryFetchEvents } from './eventStream';
import { resolveOwnUserId } from './ownUser';
import { advancedOffset, readPollState, writePollState } from './pollState';
import type { PollState } from './pollState';
import { newerLiveReader, otherLiveReaders, recordPoll } from './readerRegistry';
import { readTriggerSettings } from './settings';
import type { TriggerSettings } from './settings';

/**
 * Bitrix24 drops a subscription nobody read for 24 hours; subscribing again is idempotent and
 * cheap, so an hourly renewal keeps a trigger alive after n8n was down for a while.
 */
const RESUBSCRIBE_AFTER_MS = 60 * 60 * 1000;
/** At most this many pages per poll; the rest waits for the next poll. */
const MAX_PAGES_PER_POLL = 20;
/** Skipping the backlog at activation reads at most this many pages. */
const MAX_PAGES_TO_SKIP = 100;

/** Poll contexts already seen: n8n builds one per activation and reuses it for every poll. */
const seenContexts = new WeakSet<object>();

interface Reader {
	settings: TriggerSettings;
	connection: Bitrix24Connection;
	ownUserId: number;
	/** Portal and user: one Bitrix24 event queue. */
	queue: string;
}

async function openReader(context: IPollFunctions): Promise<Reader> {
	const settings = readTriggerSettings(context);
	const connection = await resolveConnection(context);
	const ownUserId = await resolveOwnUserId(context, connection);
	return { settings, connection, ownUserId, queue: `${connection.portal}/user/${ownUserId}` };
}

function matchingItems(events: RawEvent[], reader: Reader): TriggerItem[] {
	const items: TriggerItem[] = [];
	for (const event of events) {
		const item = flattenEvent(event, reader.ownUserId);
		if (item && passesFilters(item, reader.settings, reader.ownUserId)) items.push(item);
	}
	return items;
}

/** "Fetch Test Event": the latest matching event, read without confirming anything. */
async function pollManually(context: IPollFunctions): Promise<INodeExecutionData[][]> {
	const reader = await openReader(context);
	// Subscribing here lets a first test work: events are recorded from now on.
	await subscribe(context, reader.connection);
	// No offset: Bitrix24 returns the oldest unconfirmed events and confirms none of them, so the
	// active workflow (if any) still gets them, and its saved offset is not touched.
	const page = await fetchEvents(context, reader.connection, undefined);
	const latest = matchingItems(page.events, reader).at(-1);
	if (latest) return [[{ json: latest }]];

	const active = otherLiveReaders(reader.queue, '', Date.now());
	throw new NodeOperationError(context.getNode(), 'No matching Bitrix24 event yet', {
		description:
			`The trigger is subscribed to the events of Bitrix24 user ${reader.ownUserId}. Write a message in a chat this user belongs to ` +
			'(as another person, unless "Ignore Own Messages" is off), then fetch again. ' +
			(active.length > 0
				? `Events already confirmed by the active workflow "${active[0].workflowName}" are no longer available here.`
				: 'Bitrix24 keeps unconfirmed events for 24 hours.'),
	});
}

/** Moves to the end of the queue without emitting: history before activation is not replayed. */
async function skipBacklog(context: IPollFunctions, reader: Reader, state: PollState): Promise<void> {
	for (let page = 0; page < MAX_PAGES_TO_SKIP; page++) {
		const answer = await fetchEvents(context, reader.connection, state.offset);
		state.offset = advancedOffset(state.offset, answer.nextOffset);
		if (!answer.hasMore) return;
	}
}

async function pollInProduction(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	const startedAt = Date.now();
	const reader = await openReader(context);
	const workflow = context.getWorkflow();
	const node = context.getNode();
	const firstPollOfActivation = !seenContexts.has(context);
	seenContexts.add(context);

	const activation = context.getActivationMode();
	const me = recordPoll(
		reader.queue,
		{ key: `${workflow.id ?? ''}:${node.id}`, workflowName: workflow.name ?? '', nodeName: node.name },
		// Saving an active workflow re-activates it, but it is still the same reader.
		firstPollOfActivation && activation !== 'update',
		startedAt,
	);
	const newer = newerLiveReader(reader.queue, me, startedAt);
	if (newer) {
		throw new NodeOperationError(
			node,
			`Another active Bitrix24 Trigger reads the events of Bitrix24 user ${reader.ownUserId}`,
			{
				description:
					`"${newer.nodeName}" in workflow "${newer.workflowName}" reads the same user's event queue, and Bitrix24 gives each user's events ` +
					'to one reader only. This trigger stopped reading so that the newer one receives every event. Deactivate one of them, or give ' +
					'the second workflow a webhook (or OAuth connection) of another Bitrix24 user.',
			},
		);
	}
	if (firstPollOfActivation) {
		for (const older of otherLiveReaders(reader.queue, me.key, startedAt)) {
			context.logger.warn(
				`Bitrix24 Trigger "${node.name}" takes over the events of Bitrix24 user ${reader.ownUserId} from "${older.nodeName}" in workflow "${older.workflowName}"`,
			);
		}
	}

	const staticData = context.getWorkflowStaticData('node');
	const save = (state: PollState) => {
		writePollState(staticData, state);
		me.state = { ...state };
	};
	const saved = readPollState(staticData, reader.queue) ?? (me.state ? { ...me.state } : undefined);
	// Switched on by a person (not a restart or a save of an active workflow): start from now.
	const switchedOn = firstPollOfActivation && ['activate', 'create'].includes(activation);
	if (!saved || switchedOn) {
		await subscribe(context, reader.connection);
		const state: PollState = { queue: reader.queue, offset: saved?.offset ?? 0, subscribedAt: startedAt };
		await skipBacklog(context, reader, state);
		save(state);
		return null;
	}

	const state = saved;
	if (startedAt - state.subscribedAt > RESUBSCRIBE_AFTER_MS) {
		await subscribe(context, reader.connection);
		state.subscribedAt = startedAt;
		save(state);
	}

	const events: RawEvent[] = [];
	const budgetMs = context.getPollBudgetMs() / 2;
	for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
		const outcome = await tryFetchEvents(context, reader.connection, state.offset);
		if (!outcome.ok) {
			if (events.length === 0) throw failureToNodeApiError(node, outcome.failure);
			// Asking for a later page confirmed the earlier ones: they must be emitted now, or they
			// are lost. The failure shows again on the next poll if it lasts.
			context.logger.warn(
				`Bitrix24 Trigger "${node.name}": a further page of events failed; delivering the ${events.length} read so far`,
			);
			break;
		}
		const answer = outcome.page;
		events.push(...answer.events);
		state.offset = advancedOffset(state.offset, answer.nextOffset);
		save(state);
		if (!answer.hasMore || Date.now() - startedAt > budgetMs) break;
	}

	const items = matchingItems(events, reader);
	return items.length > 0 ? [items.map((item) => ({ json: item }))] : null;
}

/**
 * Delivery is at least once: an offset passed to Bitrix24 confirms only events that an earlier
 * poll emitted, or that this poll read and then emits, so a failed poll or a crash before the
 * offset was saved makes events come again instead of being lost.
 */
export async function pollBitrix24Events(context: IPollFunctions): Promise<INodeExecutionData[][] | null> {
	return context.getMode() === 'manual' ? await pollManually(context) : await pollInProduction(context);
}
