import { ChatLoopState } from './chatLoopState';
import type { StoredMessage } from './types';

export const FIRST_MESSAGE_ID = 1001;

/** Messages in creation order plus an id index, so REPLY_ID lookups stay O(1) at 10,000 messages. */
export class MessageStore {
	readonly messages: StoredMessage[] = [];
	private readonly byId = new Map<number, StoredMessage>();
	private nextId = FIRST_MESSAGE_ID;
	/** Created chats and notifications: per portal, reset with it. */
	readonly chatLoop = new ChatLoopState();

	add(message: Omit<StoredMessage, 'id'>): StoredMessage {
		const stored: StoredMessage = { id: this.nextId++, ...message };
		this.messages.push(stored);
		this.byId.set(stored.id, stored);
		return stored;
	}

	get(id: number): StoredMessage | undefined {
		return this.byId.get(id);
	}

	reset(): void {
		this.messages.length = 0;
		this.byId.clear();
		this.nextId = FIRST_MESSAGE_ID;
		this.chatLoop.reset();
	}
}
