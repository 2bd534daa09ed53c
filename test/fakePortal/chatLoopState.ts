/** What the chat-loop methods add to a portal: chats created through im.chat.add, and notifications. */

/** Created chats get IDs above the seeded ones (chat1..chat500). */
export const FIRST_CREATED_CHAT_ID = 10001;

export interface FakeChat {
	id: number;
	title: string;
	/** 'CHAT' (closed) or 'OPEN'. */
	type: 'CHAT' | 'OPEN';
	description: string;
	color: string;
	ownerId: number;
	userIds: number[];
}

export interface StoredNotification {
	id: number;
	kind: 'personal' | 'system';
	userId: number;
	message: string;
	messageOut: string;
	/** As Bitrix24 stores it: prefixed with the application key, so tags of two apps never clash. */
	tag?: string;
	subTag?: string;
	attach?: unknown;
	clientId?: string;
	auth: 'webhook' | 'oauth';
}

export class ChatLoopState {
	readonly chats = new Map<number, FakeChat>();
	readonly notifications: StoredNotification[] = [];
	private nextChatId = FIRST_CREATED_CHAT_ID;
	private nextNotificationId = 501;

	createChat(chat: Omit<FakeChat, 'id'>): FakeChat {
		const created = { id: this.nextChatId++, ...chat };
		this.chats.set(created.id, created);
		return created;
	}

	addNotification(notification: Omit<StoredNotification, 'id'>): StoredNotification {
		const stored = { id: this.nextNotificationId++, ...notification };
		// A tag is unique: the notification it was on before is removed.
		if (stored.tag !== undefined) {
			for (let index = this.notifications.length - 1; index >= 0; index--) {
				if (this.notifications[index].tag === stored.tag) this.notifications.splice(index, 1);
			}
		}
		this.notifications.push(stored);
		return stored;
	}

	reset(): void {
		this.chats.clear();
		this.notifications.length = 0;
		this.nextChatId = FIRST_CREATED_CHAT_ID;
		this.nextNotificationId = 501;
	}
}
