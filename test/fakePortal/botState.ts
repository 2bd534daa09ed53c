/**
 * Chat bots (Chatbots 2.0, `imbot.v2`) as the fake portal keeps them: who owns each bot, the
 * chats it is in, its commands, and its event queue. What people do (write to a bot, mention it,
 * press a command button, add it to a chat) becomes ONIMBOTV2* events in the queue of each bot
 * that would see it. Sources: CB2/index.md (bot types), CB2/imbot.v2/events/*.md, CB2/entities.md;
 * see docs/bitrix24-behaviour.md, "Chat bots".
 */
import { chatTitle, resolveDialog, userById } from './directory';
import { EventLog } from './eventLog';
import type { MessageStore } from './messageStore';
import type { StoredMessage } from './types';

/** Bots are users too; their IDs start above the seeded people (1..50). */
export const FIRST_BOT_ID = 901;
export const FIRST_COMMAND_ID = 31;

export type BotType = 'bot' | 'supervisor' | 'personal' | 'openline';

export interface FakeBotCommand {
	id: number;
	command: string;
	title: Record<string, string>;
	params: Record<string, string>;
	common: boolean;
	hidden: boolean;
	extranetSupport: boolean;
}

export interface FakeBot {
	id: number;
	code: string;
	type: BotType;
	/** `token:<botToken>` for a bot registered through a webhook, `app:<client_id>` through OAuth. */
	owner: string;
	properties: { name: string; lastName?: string; workPosition?: string; color?: string; gender?: string };
	isHidden: boolean;
	isReactionsEnabled: boolean;
	isSupportOpenline: boolean;
	eventMode: 'fetch' | 'webhook';
	commands: FakeBotCommand[];
	/** Group chats (chatN) the bot is a member of. */
	chats: Set<string>;
	/** How often Bot.update changed it (for idempotency assertions). */
	updates: number;
}

/** A "typing" (or other status) indicator the bot showed (Chat.InputAction.notify). */
export interface BotInputAction {
	botId: number;
	dialogId: string;
	statusMessageCode: string;
	duration?: number;
}

const LANGUAGE = 'en';

function isoSeconds(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+00:00');
}

export function botObject(bot: FakeBot): Record<string, unknown> {
	return {
		id: bot.id,
		code: bot.code,
		type: bot.type,
		isHidden: bot.isHidden,
		isSupportOpenline: bot.isSupportOpenline,
		isReactionsEnabled: bot.isReactionsEnabled,
		backgroundId: null,
		language: LANGUAGE,
		moduleId: 'rest',
		eventMode: bot.eventMode,
		countMessage: 0,
		countCommand: bot.commands.length,
		countChat: bot.chats.size,
		countUser: 0,
	};
}

export function botUserObject(bot: FakeBot): Record<string, unknown> {
	const { name, lastName = '' } = bot.properties;
	return {
		id: bot.id,
		active: true,
		name: `${name} ${lastName}`.trim(),
		firstName: name,
		lastName,
		workPosition: bot.properties.workPosition ?? '',
		bot: true,
		type: 'bot',
	};
}

function personObject(userId: number): Record<string, unknown> {
	const user = userById(userId);
	const firstName = user?.name ?? 'User';
	const lastName = user?.lastName ?? String(userId);
	return {
		id: userId,
		active: true,
		name: `${firstName} ${lastName}`.trim(),
		firstName,
		lastName,
		bot: false,
		type: 'employee',
	};
}

/** The command's text, `/help` → `help`, and what follows it. */
function commandOf(text: string): { command: string; params: string } | undefined {
	const match = /^\/([^\s/]+)(?:\s+([\s\S]*))?$/.exec(text.trim());
	return match ? { command: match[1].toLowerCase(), params: (match[2] ?? '').trim() } : undefined;
}

export class BotState {
	readonly bots: FakeBot[] = [];
	readonly inputActions: BotInputAction[] = [];
	/** One queue per bot, keyed by bot ID; Event.get with any offset confirms for every reader. */
	readonly events: EventLog;
	private nextBotId = FIRST_BOT_ID;
	private nextCommandId = FIRST_COMMAND_ID;

	constructor(
		private readonly store: MessageStore,
		now?: () => number,
	) {
		this.events = new EventLog(now);
		store.onAdd((message) => this.messageAdded(message));
	}

	byId(id: number): FakeBot | undefined {
		return this.bots.find((bot) => bot.id === id);
	}

	byCode(code: string): FakeBot | undefined {
		return this.bots.find((bot) => bot.code === code);
	}

	create(fields: Omit<FakeBot, 'id' | 'commands' | 'chats' | 'updates'>): FakeBot {
		const bot: FakeBot = { ...fields, id: this.nextBotId++, commands: [], chats: new Set(), updates: 0 };
		this.bots.push(bot);
		// A bot's queue exists from its registration: nothing before it is ever in it.
		this.events.subscribe(bot.id);
		return bot;
	}

	addCommand(bot: FakeBot, fields: Omit<FakeBotCommand, 'id'>): FakeBotCommand {
		const existing = bot.commands.find((command) => command.command === fields.command);
		if (existing) return existing; // Command.register is idempotent and never updates
		const command: FakeBotCommand = { ...fields, id: this.nextCommandId++ };
		bot.commands.push(command);
		return command;
	}

	/** Whether the bot may write to `dialogId`: any person's private dialog, or a group chat it is in. */
	canWrite(bot: FakeBot, dialogId: string): boolean {
		const resolution = resolveDialog(dialogId, (chatId) => this.store.chatLoop.chats.has(chatId));
		if (!resolution.ok) return false;
		if (resolution.target.kind === 'user') return true;
		return bot.chats.has(resolution.target.dialogId);
	}

	/** `userId` adds the bot to group chat `dialogId`: ONIMBOTV2JOINCHAT. */
	join(bot: FakeBot, dialogId: string, userId: number): void {
		const resolution = resolveDialog(dialogId, (chatId) => this.store.chatLoop.chats.has(chatId));
		if (!resolution.ok || resolution.target.kind !== 'chat') throw new Error(`Not a group chat: ${dialogId}`);
		bot.chats.add(resolution.target.dialogId);
		this.record(bot, 'ONIMBOTV2JOINCHAT', {
			dialogId: resolution.target.dialogId,
			chat: this.groupChatObject(resolution.target.dialogId, resolution.target.chatId),
			user: personObject(userId),
		});
	}

	/** A person presses a COMMAND button of a bot message: ONIMBOTV2COMMANDADD, context keyboard. */
	pressButton(messageId: number, userId: number, buttonText?: string): void {
		const message = this.store.get(messageId);
		if (!message?.botId) throw new Error(`Message ${messageId} is not a bot's message`);
		const bot = this.byId(message.botId);
		if (!bot) throw new Error(`No bot ${message.botId}`);
		const keyboard = message.keyboard as { BUTTONS?: unknown[] } | unknown[] | undefined;
		const buttons = (Array.isArray(keyboard) ? keyboard : (keyboard?.BUTTONS ?? [])) as Array<Record<string, unknown>>;
		const button = buttons.find(
			(candidate) =>
				typeof candidate.COMMAND === 'string' && (buttonText === undefined || candidate.TEXT === buttonText),
		);
		if (!button) throw new Error(`Message ${messageId} has no command button ${buttonText ?? ''}`);
		const name = String(button.COMMAND).replace(/^\//, '').toLowerCase();
		const command = bot.commands.find((candidate) => candidate.command === name);
		// An unregistered command on a button is silently not routed (message-keyboards.md).
		if (!command) return;
		const chat = this.chatObjectFor(bot, message.dialogId, userId);
		this.record(bot, 'ONIMBOTV2COMMANDADD', {
			command: {
				id: command.id,
				command: `/${command.command}`,
				params: typeof button.COMMAND_PARAMS === 'string' ? button.COMMAND_PARAMS : '',
				context: 'keyboard',
			},
			message: this.messageObject(message, message.authorId ?? bot.id, Number(chat.id)),
			chat,
			user: personObject(userId),
		});
	}

	pending(botId: number) {
		return this.events.pending(botId);
	}

	reset(): void {
		this.bots.length = 0;
		this.inputActions.length = 0;
		this.events.reset();
		this.nextBotId = FIRST_BOT_ID;
		this.nextCommandId = FIRST_COMMAND_ID;
	}

	/**
	 * Who sees a new message: in a private dialog with a bot, that bot; in a group chat, every
	 * member bot of type supervisor or personal, and a bot of type bot or openline only when
	 * mentioned (CB2/index.md, bot types). A bot never gets its own messages. A text that starts
	 * with one of the bot's commands arrives as ONIMBOTV2COMMANDADD (context textarea) instead.
	 */
	private messageAdded(message: StoredMessage): void {
		const authorId = message.authorId ?? 1;
		for (const bot of this.bots) {
			if (bot.id === authorId) continue;
			const privateWithBot = message.dialogId === String(bot.id);
			const inGroup = bot.chats.has(message.dialogId);
			if (!privateWithBot && !inGroup) continue;
			const mentioned = message.message.includes(`[USER=${bot.id}]`) || message.message.includes(`[user=${bot.id}]`);
			const seesAll = bot.type === 'supervisor' || bot.type === 'personal';
			if (inGroup && !seesAll && !mentioned) continue;
			// From the bot's side a private dialog is named by the other person.
			const dialogId = privateWithBot ? String(authorId) : message.dialogId;
			const text = message.message.replace(/^\[USER=\d+][^[]*\[\/USER]\s*/i, '');
			const typed = commandOf(text);
			const command = typed && bot.commands.find((candidate) => candidate.command === typed.command);
			const chat = this.chatObjectFor(bot, dialogId, authorId);
			const common = {
				message: this.messageObject(message, authorId, Number(chat.id)),
				chat,
				user: this.authorObject(authorId),
			};
			if (command && typed) {
				this.record(bot, 'ONIMBOTV2COMMANDADD', {
					command: { id: command.id, command: `/${command.command}`, params: typed.params, context: 'textarea' },
					...common,
				});
			} else {
				this.record(bot, 'ONIMBOTV2MESSAGEADD', common);
			}
		}
	}

	private record(bot: FakeBot, type: string, data: Record<string, unknown>): void {
		this.events.record([bot.id], type, { bot: botObject(bot), ...data, language: LANGUAGE });
	}

	private authorObject(authorId: number): Record<string, unknown> {
		const bot = this.byId(authorId);
		return bot ? botUserObject(bot) : personObject(authorId);
	}

	private messageObject(message: StoredMessage, authorId: number, chatId: number): Record<string, unknown> {
		return {
			id: message.id,
			chatId,
			authorId: message.system === 'Y' ? 0 : authorId,
			date: isoSeconds(this.events.now()),
			text: message.message,
			isSystem: message.system === 'Y',
			uuid: '',
			forward: null,
			params: {},
			viewedByOthers: false,
		};
	}

	private groupChatObject(dialogId: string, chatId: number): Record<string, unknown> {
		const created = this.store.chatLoop.chats.get(chatId);
		return {
			id: chatId,
			dialogId,
			name: created?.title ?? chatTitle(chatId),
			type: 'chat',
			messageType: 'C',
			owner: 1,
			entityType: '',
		};
	}

	/** The chat as the bot sees it: a private dialog is named by the person. */
	private chatObjectFor(bot: FakeBot, dialogId: string, personId: number): Record<string, unknown> {
		const chat = /^chat(\d+)$/.exec(dialogId);
		if (chat) return this.groupChatObject(dialogId, Number(chat[1]));
		return {
			id: 100000 + Math.min(bot.id, personId) * 1000 + Math.max(bot.id, personId),
			dialogId,
			name: String(personObject(personId).name),
			type: 'private',
			messageType: 'P',
			owner: 0,
			entityType: '',
		};
	}
}
