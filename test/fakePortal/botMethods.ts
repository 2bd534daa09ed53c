/**
 * The `imbot.v2` methods (scope imbot) over BotState. Authorization as CB2 documents it: through
 * a webhook every call but Revision.get needs `botToken` (inside `fields` for Bot.register, top
 * level elsewhere), and the token names the bot's owner; through OAuth the owner is the
 * application and no token is needed. See docs/bitrix24-behaviour.md, "Chat bots".
 */
import { isRecord, RestError } from './envelope';
import { chatFolderId, type FileStore } from './fileStore';
import type { MessageStore } from './messageStore';
import { cutToCodePoints, MAX_ATTACH_LENGTH, MAX_MESSAGE_LENGTH, phpTrim, scalarText } from './methods';
import type { CallContext, MethodDefinition, MethodSuccess } from './methods';
import { isValidAttach, isValidKeyboard, readRichParam } from './richBlocks';
import { botObject, botUserObject, type BotState, type BotType, type FakeBot, type FakeBotCommand } from './botState';
import { resolveDialog } from './directory';

export const MAX_BOT_TOKEN_LENGTH = 40;
const BOT_TYPES: BotType[] = ['bot', 'supervisor', 'personal', 'openline'];

type Params = Record<string, unknown>;

function fieldsOf(params: Params): Params {
	return isRecord(params.fields) && !Array.isArray(params.fields) ? params.fields : {};
}

function intOf(value: unknown): number | undefined {
	const text = scalarText(value).trim();
	return /^\d+$/.test(text) ? Number(text) : undefined;
}

/** true/false or "Y"/"N" (CB2/index.md); anything else is the default. */
function flagOf(value: unknown, fallback: boolean): boolean {
	if (value === true || value === 'Y' || value === 'y' || value === '1' || value === 1) return true;
	if (value === false || value === 'N' || value === 'n' || value === '0' || value === 0) return false;
	return fallback;
}

/** A command as Command.register answers it; Command.list adds the localised title and params. */
function commandObject(bot: FakeBot, command: FakeBotCommand): Record<string, unknown> {
	return {
		id: command.id,
		botId: bot.id,
		command: `/${command.command}`,
		common: command.common,
		hidden: command.hidden,
		extranetSupport: command.extranetSupport,
	};
}

export interface BotMethodsDependencies {
	bots: BotState;
	store: MessageStore;
	files: FileStore;
	oauthClientId: () => string;
}

export function createBotMethods(deps: BotMethodsDependencies): Array<[string, MethodDefinition]> {
	const { bots, store, files } = deps;

	/** The caller as an owner: the bot token through a webhook, the application through OAuth. */
	function ownerOf(context: CallContext, token: unknown): string {
		if (context.auth === 'oauth') return `app:${deps.oauthClientId()}`;
		const text = scalarText(token);
		if (text === '') throw new RestError(400, 'BOT_TOKEN_NOT_SPECIFIED', 'Bot token is not specified');
		return `token:${text}`;
	}

	function ownedBot(params: Params, context: CallContext): FakeBot {
		const owner = ownerOf(context, params.botToken);
		const botId = intOf(params.botId);
		if (botId === undefined) throw new RestError(400, 'BOT_ID_REQUIRED', 'Bot ID is required');
		const bot = bots.byId(botId);
		if (!bot) throw new RestError(400, 'BOT_NOT_FOUND', 'Bot not found');
		if (bot.owner !== owner) {
			throw new RestError(403, 'BOT_OWNERSHIP_ERROR', 'Bot is registered by another application');
		}
		return bot;
	}

	function writableDialog(bot: FakeBot, params: Params): string {
		const dialogId = scalarText(params.dialogId).trim();
		if (dialogId === '') throw new RestError(400, 'DIALOG_ID_EMPTY', 'Dialog ID is required');
		if (!bots.canWrite(bot, dialogId)) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
		return dialogId;
	}

	function botAnswer(bot: FakeBot): MethodSuccess {
		return { result: { bot: botObject(bot), users: [botUserObject(bot)] } };
	}

	function readProperties(raw: unknown): FakeBot['properties'] | undefined {
		if (!isRecord(raw)) return undefined;
		const name = scalarText(raw.name).trim();
		if (name === '') return undefined;
		const optional = (key: string) => (scalarText(raw[key]) !== '' ? { [key]: scalarText(raw[key]) } : {});
		return { name, ...optional('lastName'), ...optional('workPosition'), ...optional('color'), ...optional('gender') };
	}

	function register(params: Params, context: CallContext): MethodSuccess {
		const fields = fieldsOf(params);
		const token = fields.botToken;
		const owner = ownerOf(context, token);
		if (context.auth === 'webhook' && scalarText(token).length > MAX_BOT_TOKEN_LENGTH) {
			throw new RestError(
				400,
				'BOT_TOKEN_INVALID_LENGTH',
				`Bot token must not exceed ${MAX_BOT_TOKEN_LENGTH} characters`,
			);
		}
		const code = scalarText(fields.code).trim();
		if (code === '') throw new RestError(400, 'BOT_CODE_REQUIRED', 'Bot code is required');
		const existing = bots.byCode(code);
		if (existing) {
			if (existing.owner !== owner) throw new RestError(400, 'BOT_CODE_ALREADY_TAKEN', 'Bot code is already taken');
			// Same code, same owner: the existing bot, unchanged (Bot.update changes it).
			return botAnswer(existing);
		}
		const properties = readProperties(fields.properties);
		if (!properties) throw new RestError(400, 'BOT_PROPERTIES_REQUIRED', 'Bot properties are required');
		const type = (scalarText(fields.type) || 'bot') as BotType;
		if (!BOT_TYPES.includes(type)) throw new RestError(400, 'BOT_INVALID_TYPE', 'Invalid bot type');
		const bot = bots.create({
			code,
			type,
			owner,
			properties,
			isHidden: flagOf(fields.isHidden, false),
			isReactionsEnabled: flagOf(fields.isReactionsEnabled, true),
			isSupportOpenline: flagOf(fields.isSupportOpenline, false),
			eventMode: fields.eventMode === 'webhook' ? 'webhook' : 'fetch',
		});
		return botAnswer(bot);
	}

	function update(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const fields = fieldsOf(params);
		if (isRecord(fields.properties)) {
			const merged = { ...bot.properties, ...(fields.properties as Params) };
			const properties = readProperties(merged);
			if (properties) bot.properties = properties;
		}
		if (fields.isHidden !== undefined) bot.isHidden = flagOf(fields.isHidden, bot.isHidden);
		if (fields.isReactionsEnabled !== undefined) {
			bot.isReactionsEnabled = flagOf(fields.isReactionsEnabled, bot.isReactionsEnabled);
		}
		if (context.auth === 'webhook' && fields.botToken !== undefined) {
			const rotated = scalarText(fields.botToken);
			if (rotated === '' || rotated.length > MAX_BOT_TOKEN_LENGTH) {
				throw new RestError(
					400,
					'BOT_TOKEN_INVALID_LENGTH',
					`Bot token must not exceed ${MAX_BOT_TOKEN_LENGTH} characters`,
				);
			}
			bot.owner = `token:${rotated}`;
		}
		bot.updates++;
		return botAnswer(bot);
	}

	function get(params: Params, context: CallContext): MethodSuccess {
		const owner = ownerOf(context, params.botToken);
		const botId = intOf(params.botId);
		const code = scalarText(params.code).trim();
		const bot = botId !== undefined ? bots.byId(botId) : code !== '' ? bots.byCode(code) : undefined;
		if (botId === undefined && code === '') throw new RestError(400, 'BOT_ID_REQUIRED', 'Bot ID is required');
		if (!bot) throw new RestError(400, 'BOT_NOT_FOUND', 'Bot not found');
		if (bot.owner === owner) return botAnswer(bot);
		// Another owner's bot: the brief form (CB2/imbot.v2/bots/bot-get.md).
		return { result: { bot: { id: bot.id, code: bot.code, type: bot.type }, users: [botUserObject(bot)] } };
	}

	function list(params: Params, context: CallContext): MethodSuccess {
		const owner = ownerOf(context, params.botToken);
		const filter = isRecord(params.filter) ? (params.filter as Params) : {};
		const type = scalarText(filter.type);
		const limit = Math.max(1, intOf(params.limit) ?? 50);
		const offset = intOf(params.offset) ?? 0;
		const mine = bots.bots.filter((bot) => bot.owner === owner && (type === '' || bot.type === type));
		const page = mine.slice(offset, offset + limit);
		return {
			result: {
				bots: page.map(botObject),
				users: page.map(botUserObject),
				hasNextPage: offset + limit < mine.length,
			},
		};
	}

	function commandRegister(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		// The flat form (no `fields`) is accepted until 30.09.2026 (BOT-BC-0330-1).
		const fields = isRecord(params.fields) ? fieldsOf(params) : params;
		const name = scalarText(fields.command).trim().replace(/^\//, '').toLowerCase();
		if (name === '') throw new RestError(400, 'COMMAND_REQUIRED', 'Command is required');
		const hidden = flagOf(fields.hidden, false);
		const title = isRecord(fields.title) ? (fields.title as Record<string, string>) : {};
		if (!hidden && Object.keys(title).length === 0) {
			throw new RestError(400, 'COMMAND_TITLE_REQUIRED', 'Command title is required');
		}
		const command = bots.addCommand(bot, {
			command: name,
			title,
			params: isRecord(fields.params) ? (fields.params as Record<string, string>) : {},
			common: flagOf(fields.common, false),
			hidden,
			extranetSupport: flagOf(fields.extranetSupport, false),
		});
		return { result: { command: commandObject(bot, command) } };
	}

	function commandList(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		return {
			result: {
				commands: bot.commands.map((command) => ({
					...commandObject(bot, command),
					title: command.title.en ?? Object.values(command.title)[0] ?? '',
					params: command.params.en ?? Object.values(command.params)[0] ?? '',
					category: '',
					context: 'textarea',
				})),
			},
		};
	}

	/** message, attach and keyboard of a bot message, checked like im.message.add checks them. */
	function messageContent(fields: Params, required: boolean) {
		const message = cutToCodePoints(phpTrim(scalarText(fields.message)), MAX_MESSAGE_LENGTH);
		const attach = readRichParam(fields.attach, isValidAttach);
		if (required && message === '' && !attach.given) throw new RestError(400, 'EMPTY_MESSAGE', 'Message is empty');
		if (attach.given && !attach.valid) throw new RestError(400, 'ATTACH_ERROR', 'Incorrect attach params');
		if (attach.given && JSON.stringify(attach.value).length > MAX_ATTACH_LENGTH) {
			throw new RestError(400, 'ATTACH_OVERSIZE', 'You have exceeded the maximum allowable size of attach');
		}
		const removeKeyboard = fields.keyboard === 'N';
		const keyboard = removeKeyboard ? ({ given: false } as const) : readRichParam(fields.keyboard, isValidKeyboard);
		if (keyboard.given && !keyboard.valid) throw new RestError(400, 'KEYBOARD_ERROR', 'Incorrect keyboard params');
		return { message, attach, keyboard, removeKeyboard };
	}

	function send(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const dialogId = writableDialog(bot, params);
		const fields = fieldsOf(params);
		const { message, attach, keyboard } = messageContent(fields, true);
		const replyId = intOf(fields.replyId);
		if (replyId !== undefined && replyId > 0 && store.get(replyId)?.dialogId !== dialogId) {
			throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
		}
		const stored = store.add({
			dialogId,
			message,
			...(attach.given ? { attach: attach.value } : {}),
			...(keyboard.given ? { keyboard: keyboard.value } : {}),
			system: flagOf(fields.system, false) ? 'Y' : 'N',
			urlPreview: flagOf(fields.urlPreview, true) ? 'Y' : 'N',
			...(replyId !== undefined && replyId > 0 ? { replyId } : {}),
			via: context.via,
			auth: context.auth,
			authorId: bot.id,
			botId: bot.id,
		});
		// uuidMap is [] when nothing was forwarded (peer's live finding).
		return { result: { id: stored.id, uuidMap: [] } };
	}

	function ownMessage(bot: FakeBot, params: Params) {
		const messageId = intOf(params.messageId);
		if (messageId === undefined) throw new RestError(400, 'MESSAGE_ID_REQUIRED', 'Message ID is required');
		const message = store.get(messageId);
		if (!message || message.deleted) throw new RestError(400, 'MESSAGE_NOT_FOUND', 'Message not found');
		if (message.botId !== bot.id) throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
		return message;
	}

	function updateMessage(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const message = ownMessage(bot, params);
		if (message.system === 'Y') throw new RestError(403, 'ACCESS_DENIED', 'Access denied');
		const fields = fieldsOf(params);
		const content = messageContent(fields, false);
		if (content.message !== '') message.message = content.message;
		if (content.attach.given) message.attach = content.attach.value;
		if (content.removeKeyboard) delete message.keyboard;
		else if (content.keyboard.given) message.keyboard = content.keyboard.value;
		if (fields.urlPreview !== undefined) message.urlPreview = flagOf(fields.urlPreview, true) ? 'Y' : 'N';
		message.edited = true;
		return { result: true };
	}

	function deleteMessage(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		ownMessage(bot, params).deleted = true;
		return { result: true };
	}

	function inputAction(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const dialogId = writableDialog(bot, params);
		const duration = intOf(params.duration);
		bots.inputActions.push({
			botId: bot.id,
			dialogId,
			statusMessageCode: scalarText(params.statusMessageCode),
			...(duration !== undefined ? { duration } : {}),
		});
		return { result: true };
	}

	function fileUpload(params: Params, context: CallContext): MethodSuccess {
		if (context.via === 'batch') {
			throw new RestError(400, 'ERROR_BATCH_METHOD_NOT_ALLOWED', 'Method is not allowed for batch usage');
		}
		const bot = ownedBot(params, context);
		const dialogId = writableDialog(bot, params);
		const fields = fieldsOf(params);
		const name = scalarText(fields.name).trim();
		const content = scalarText(fields.content);
		if (name === '' || content === '') throw new RestError(400, 'FILE_EMPTY', 'File name or content is empty');
		const bytes = Buffer.from(content, 'base64');
		const resolution = resolveDialog(dialogId);
		const chatId =
			resolution.ok && resolution.target.kind === 'chat'
				? resolution.target.chatId
				: 100000 + Math.min(bot.id, Number(dialogId)) * 1000 + Math.max(bot.id, Number(dialogId));
		const stored = files.add({ folderId: chatFolderId(chatId), chatId, name, bytes, flow: 'v2' });
		const message = store.add({
			dialogId,
			message: phpTrim(scalarText(fields.message)),
			files: [stored.diskId],
			system: 'N',
			urlPreview: 'Y',
			via: context.via,
			auth: context.auth,
			authorId: bot.id,
			botId: bot.id,
		});
		stored.messageId = message.id;
		const extension = name.includes('.') ? name.slice(name.lastIndexOf('.') + 1) : '';
		return {
			result: {
				file: { id: stored.diskId, chatId, name, extension, size: stored.size },
				messageId: message.id,
				chatId,
				dialogId,
			},
		};
	}

	function commandAnswer(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const commandId = intOf(params.commandId);
		if (commandId === undefined || !bot.commands.some((command) => command.id === commandId)) {
			throw new RestError(400, 'COMMAND_NOT_FOUND', 'Command not found');
		}
		const messageId = intOf(params.messageId);
		if (messageId === undefined || !store.get(messageId)) {
			throw new RestError(400, 'MESSAGE_NOT_FOUND', 'Message not found');
		}
		const dialogId = scalarText(params.dialogId).trim();
		if (dialogId === '') throw new RestError(400, 'DIALOG_ID_EMPTY', 'Dialog ID is required');
		const fields = fieldsOf(params);
		const { message, attach, keyboard } = messageContent(fields, true);
		// Allowed where the bot is no member: then posted as a system message (command-answer.md).
		const member = bots.canWrite(bot, dialogId);
		store.add({
			dialogId,
			message,
			...(attach.given ? { attach: attach.value } : {}),
			...(keyboard.given ? { keyboard: keyboard.value } : {}),
			system: !member || flagOf(fields.system, false) ? 'Y' : 'N',
			urlPreview: flagOf(fields.urlPreview, true) ? 'Y' : 'N',
			via: context.via,
			auth: context.auth,
			authorId: bot.id,
			botId: bot.id,
		});
		return { result: true };
	}

	function eventGet(params: Params, context: CallContext): MethodSuccess {
		const bot = ownedBot(params, context);
		const offset = intOf(params.offset);
		const requested = intOf(params.limit);
		const limit = requested === undefined ? 100 : Math.min(1000, Math.max(1, requested));
		return { result: bots.events.get(bot.id, offset, limit) };
	}

	const methods: Array<[string, (params: Params, context: CallContext) => MethodSuccess]> = [
		['Bot.register', register],
		['Bot.update', update],
		['Bot.get', get],
		['Bot.list', list],
		['Command.register', commandRegister],
		['Command.list', commandList],
		['Command.answer', commandAnswer],
		['Chat.Message.send', send],
		['Chat.Message.update', updateMessage],
		['Chat.Message.delete', deleteMessage],
		['Chat.InputAction.notify', inputAction],
		['File.upload', fileUpload],
		['Event.get', eventGet],
	];
	return methods.map(([name, handler]) => [`imbot.v2.${name}`.toLowerCase(), { scope: 'imbot', handler }]);
}
