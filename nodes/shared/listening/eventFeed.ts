/**
 * What the listening loop needs from an event source: Bitrix24's im.v2.Event.get (a user's
 * events) and imbot.v2.Event.get (a bot's events) both answer pages of events after an offset,
 * where passing the offset confirms, and deletes for every reader, every event below it.
 */
export interface FeedPage<E> {
	events: E[];
	/** Undefined when the source did not send a usable one. */
	nextOffset?: number;
	hasMore: boolean;
}

export interface EventFeed<E> {
	/**
	 * Reads the oldest unconfirmed events. `offset` confirms every event below it: the loop passes
	 * only offsets below which every event's execution has finished. Undefined confirms nothing.
	 */
	read(offset: number | undefined): Promise<FeedPage<E>>;
	/**
	 * Confirms every event below `offset` without delivering anything (a graceful stop), with as
	 * small an answer as the source allows. Called after the loop's signal was aborted.
	 */
	confirm(offset: number): Promise<void>;
	/** The event's ID, increasing with time; undefined when the source sent none. */
	eventIdOf(event: E): number | undefined;
	/** Events with the same key are delivered one after the other, in order (one chat, one key). */
	dialogKeyOf(event: E): string;
}
