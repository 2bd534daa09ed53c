/**
 * What people do in the portal's chats, turned into im.v2 events for the users who see it.
 * Messages posted through im.message.add arrive here through the message store's hook; tests
 * (and the e2e suite) post, edit, delete, react and add people as other users directly.
 * Event data follows the documented formats (im.v2 "Event Formats" and "Objects and Fields").
 */
import { chatTitle, resolveDialog, USER_COUNT, userById, type DialogTarget } from './directory';
import type { EventLog } from './eventLog';
import type { MessageStore } from './messageStore';
import type { StoredMessage } from './types';

/** The language the fake portal reports in every event. */
const LANGUAGE = 'en';

/** Everyone is a member of every group chat and workgroup chat in this portal. */
function everyone(): number[] {
	return Array.from({ length: USER_COUNT }, (_, index) => index + 1);
}

/** Private chats have their own chat id; this one is stable for the pair whatever the order. */
export function privateChatId(userA: number, userB: number): number {
	return 100000 + Math.min(userA, userB) * 1000 + Math.max(userA, userB);
}

function userObject(userId: number): Record<string, unknown> {
	const user = userById(userId);
	const firstName = user?.name ?? 'System';
	const lastName = user?.lastName ?? '';
	return {
		id: userId,
		active: true,
		name: `${firstName} ${lastName}`.trim(),
		firstName,
		lastName,
		workPosition: '',
		color: '#df532d',
		avatar: '',
		gender: 'M',
		birthday: '',
		extranet: false,
		bot: false,
		connector: false,
		externalAuthId: 'default',
		status: 'online',
		idle: false,
		lastActivityDate: false,
		mobileLastDate: false,
		desktopLastDate: false,
		absent: false,
		departments: [1],
		phones: false,
		website: '',
		email: `user${userId}@example.test`,
		type: 'employee',
	};
}

/** The chat as events show it: the same object for every recipient (no role, no muteList). */
function chatObject(target: DialogTarget, authorId: number): Record<string, unknown> {
	const common = { color: '#ab7761', avatar: '', description: '', extranet: false, containsCollaber: false };
	if (target.kind === 'user') {
		// A private chat: its dialog id from the recipient's side is the other person's id.
		return {
			id: privateChatId(authorId, target.userId),
			dialogId: String(authorId),
			name: String(userObject(authorId).name),
			type: 'private',
			messageType: 'P',
			owner: 0,
			...common,
		};
	}
	if (target.kind === 'chat') {
		return {
			id: target.chatId,
			dialogId: target.dialogId,
			name: chatTitle(target.chatId),
			type: 'chat',
			messageType: 'C',
			owner: 1,
			...common,
		};
	}
	return {
		id: 2000 + target.groupId,
		dialogId: target.dialogId,
		name: `Workgroup ${target.groupId}`,
		type: 'chat',
		messageType: 'C',
		owner: 1,
		entityType: 'SONET_GROUP',
		...common,
	};
}

function recipientsOf(target: DialogTarget, authorId: number): number[] {
	return target.kind === 'user' ? [authorId, target.userId] : everyone();
}

export interface PostOptions {
	/** Who writes; 0 for a system message. */
	authorId: number;
	/** Where, as the author would address it: 'chat5', 'sg2', or a user id for a private chat. */
	dialogId: string;
	text: string;
	system?: boolean;
}

export class ChatActivity {
	constructor(
		private readonly store: MessageStore,
		private readonly events: EventLog,
	) {
		store.onAdd((message) => this.messageAdded(message));
	}

	/** A message written by `authorId` (not through the API): what a person types in the chat. */
	post(options: PostOptions): StoredMessage {
		return this.store.add({
			dialogId: options.dialogId,
			message: options.text,
			system: options.system ? 'Y' : 'N',
			urlPreview: 'Y',
			via: 'direct',
			auth: 'webhook',
			authorId: options.authorId,
		});
	}

	edit(messageId: number, text: string): void {
		const message = this.existing(messageId);
		message.message = text;
		this.emitForMessage('ONIMV2MESSAGEUPDATE', message, {});
	}

	remove(messageId: number): void {
		const message = this.existing(messageId);
		const { target, authorId } = this.placeOf(message);
		this.events.record(recipientsOf(target, authorId), 'ONIMV2MESSAGEDELETE', {
			messageId: message.id,
			chat: chatObject(target, authorId),
			user: userObject(authorId),
			language: LANGUAGE,
		});
	}

	react(messageId: number, userId: number, reaction = 'like', action: 'add' | 'delete' = 'add'): void {
		const message = this.existing(messageId);
		this.emitForMessage('ONIMV2REACTIONCHANGE', message, { reaction, action }, userId);
	}

	/** `userId` is added to group chat `dialogId` (chatN). */
	join(dialogId: string, userId: number): void {
		const resolution = resolveDialog(dialogId);
		if (!resolution.ok || resolution.target.kind === 'user') throw new Error(`Not a group chat: ${dialogId}`);
		this.events.record(everyone(), 'ONIMV2JOINCHAT', {
			dialogId: resolution.target.dialogId,
			chat: chatObject(resolution.target, userId),
			user: userObject(userId),
			language: LANGUAGE,
		});
	}

	private messageAdded(message: StoredMessage): void {
		// A private dialog with a chat bot (its ID is no seeded person): the bot's queue has it (botState.ts).
		if (!resolveDialog(message.dialogId, (chatId) => this.store.chatLoop.chats.has(chatId)).ok) return;
		this.emitForMessage('ONIMV2MESSAGEADD', message, {});
	}

	private emitForMessage(type: string, message: StoredMessage, extra: Record<string, unknown>, actorId?: number): void {
		const { target, authorId } = this.placeOf(message);
		this.events.record(recipientsOf(target, authorId), type, {
			...extra,
			message: {
				id: message.id,
				chatId: Number(chatObject(target, authorId).id),
				authorId: message.system === 'Y' ? 0 : authorId,
				date: new Date(this.events.now()).toISOString().replace(/\.\d{3}Z$/, '+00:00'),
				text: message.message,
				isSystem: message.system === 'Y',
				uuid: '',
				forward: null,
				params: {},
				viewedByOthers: false,
			},
			chat: chatObject(target, authorId),
			user: userObject(actorId ?? authorId),
			language: LANGUAGE,
		});
	}

	private placeOf(message: StoredMessage): { target: DialogTarget; authorId: number } {
		const resolution = resolveDialog(message.dialogId, (chatId) => this.store.chatLoop.chats.has(chatId));
		if (!resolution.ok) throw new Error(`Message ${message.id} has an unknown dialog ${message.dialogId}`);
		return { target: resolution.target, authorId: message.authorId ?? 1 };
	}

	private existing(messageId: number): StoredMessage {
		const message = this.store.get(messageId);
		if (!message) throw new Error(`No message ${messageId}`);
		return message;
	}
}
