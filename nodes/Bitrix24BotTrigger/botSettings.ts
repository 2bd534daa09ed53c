import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { isDialogId } from '../Bitrix24/shared/dialogId';
import { BOT_CODE_PATTERN } from '../Bitrix24/bot/botField';
import { isBotTriggerEvent } from './botEventTypes';
import type { BotTriggerEvent } from './botEventTypes';

export type BotType = 'bot' | 'supervisor' | 'personal';
const BOT_TYPES: readonly BotType[] = ['bot', 'supervisor', 'personal'];

export interface BotCommandSetting {
	/** Without the slash, lower case: how Bitrix24 stores it. */
	command: string;
	title: string;
	params: string;
	hidden: boolean;
}

/** The bot as the trigger registers it. */
export interface BotProfile {
	code: string;
	name: string;
	type: BotType;
	color?: string;
	workPosition?: string;
	commands: BotCommandSetting[];
}

export interface BotTriggerSettings {
	bot: BotProfile;
	events: ReadonlySet<BotTriggerEvent>;
	/** Undefined: every chat. */
	dialogIds?: ReadonlySet<string>;
	ignoreBots: boolean;
	/** Lower-cased; undefined: no text filter. */
	textContains?: string;
	checkEveryMs: number;
}

/** Bitrix24 asks for at least 2 s between reads of the same queue. */
export const MIN_BOT_CHECK_EVERY_SECONDS = 2;
export const DEFAULT_BOT_CHECK_EVERY_SECONDS = 3;
/** Bitrix24's avatar colour codes for bots (CB2/imbot.v2/chats/chat-add.md). */
export const BOT_COLORS = [
	'RED',
	'GREEN',
	'MINT',
	'LIGHT_BLUE',
	'DARK_BLUE',
	'PURPLE',
	'AQUA',
	'PINK',
	'LIME',
	'BROWN',
	'AZURE',
	'KHAKI',
	'SAND',
	'MARENGO',
	'GRAY',
	'GRAPHITE',
] as const;

function listOf(value: unknown): string[] {
	if (Array.isArray(value)) return value.map((entry) => String(entry).trim()).filter((entry) => entry !== '');
	if (typeof value === 'string' || typeof value === 'number') {
		return String(value)
			.split(/[,\s]+/)
			.map((entry) => entry.trim())
			.filter((entry) => entry !== '');
	}
	return [];
}

function text(value: unknown): string {
	return value === undefined || value === null ? '' : String(value).trim();
}

function readCommands(node: ReturnType<ITriggerFunctions['getNode']>, raw: unknown): BotCommandSetting[] {
	const entries = (raw as IDataObject | undefined)?.command;
	const list = Array.isArray(entries) ? (entries as IDataObject[]) : [];
	const seen = new Set<string>();
	return list.map((entry, index) => {
		const command = text(entry.command).replace(/^\//, '').toLowerCase();
		const where = `Parameter "Commands", command ${index + 1}`;
		if (!/^[a-z0-9_-]+$/.test(command)) {
			throw new NodeOperationError(
				node,
				`${where}: "${command.slice(0, 40)}" is not a command. Give the word after the slash: letters, digits, _ or -`,
			);
		}
		if (seen.has(command)) throw new NodeOperationError(node, `${where}: "${command}" is listed twice`);
		seen.add(command);
		const hidden = entry.hidden === true;
		const title = text(entry.title);
		if (!hidden && title === '') {
			throw new NodeOperationError(
				node,
				`${where}: "Title" is empty. Bitrix24 shows it in the command list (a hidden command needs none)`,
			);
		}
		return { command, title, params: text(entry.params), hidden };
	});
}

/**
 * Reads and checks the Bot Trigger's parameters before any request: a wrong value fails with the
 * field's name instead of a bot that never answers.
 */
export function readBotTriggerSettings(
	context: Pick<ITriggerFunctions, 'getNode' | 'getNodeParameter'>,
): BotTriggerSettings {
	const node = context.getNode();
	const code = text(context.getNodeParameter('botCode', ''));
	if (!new RegExp(BOT_CODE_PATTERN).test(code)) {
		throw new NodeOperationError(
			node,
			code === ''
				? 'Parameter "Bot Code" is empty: give the bot a code, e.g. support_bot'
				: `Parameter "Bot Code": "${code.slice(0, 40)}" is not a bot code. Letters, digits and _ only, e.g. support_bot`,
		);
	}
	const name = text(context.getNodeParameter('botName', '')) || code;
	const type = text(context.getNodeParameter('botType', 'bot')) as BotType;
	if (!BOT_TYPES.includes(type)) {
		throw new NodeOperationError(
			node,
			`Parameter "Bot Type": "${type.slice(0, 40)}" is not bot, supervisor or personal`,
		);
	}
	const color = text(context.getNodeParameter('botColor', ''));
	if (color !== '' && !(BOT_COLORS as readonly string[]).includes(color)) {
		throw new NodeOperationError(
			node,
			`Parameter "Bot Color": "${color.slice(0, 40)}" is not one of Bitrix24's colours`,
		);
	}
	const workPosition = text(context.getNodeParameter('botWorkPosition', ''));
	const commands = readCommands(node, context.getNodeParameter('commands', {}));

	const events = listOf(context.getNodeParameter('events', []));
	if (events.length === 0) {
		throw new NodeOperationError(node, 'Parameter "Events" is empty: choose at least one event to trigger on');
	}
	const unknown = events.find((event) => !isBotTriggerEvent(event));
	if (unknown !== undefined) {
		throw new NodeOperationError(node, `Parameter "Events": "${unknown}" is not an event this trigger knows`);
	}

	const filters = (context.getNodeParameter('filters', {}) ?? {}) as IDataObject;
	const dialogIds = listOf(filters.dialogIds);
	const invalid = dialogIds.find((dialogId) => !isDialogId(dialogId));
	if (invalid !== undefined) {
		throw new NodeOperationError(
			node,
			`Filter "Dialog IDs": "${invalid}" is not a dialog ID. Use a user ID (123), chat123 or sg123`,
		);
	}
	const rawText = filters.textContains;
	if (rawText !== null && typeof rawText === 'object') {
		throw new NodeOperationError(node, 'Filter "Text Contains": not text. Give the words to look for');
	}
	const textContains = text(rawText).toLowerCase();
	const checkEverySeconds = Number(context.getNodeParameter('checkEverySeconds', DEFAULT_BOT_CHECK_EVERY_SECONDS));
	if (!Number.isFinite(checkEverySeconds) || checkEverySeconds < MIN_BOT_CHECK_EVERY_SECONDS) {
		throw new NodeOperationError(
			node,
			`Parameter "Check Every (Seconds)": ${String(checkEverySeconds)} is too short. Bitrix24 asks for at least ${MIN_BOT_CHECK_EVERY_SECONDS} s between reads`,
		);
	}
	return {
		bot: {
			code,
			name,
			type,
			...(color !== '' ? { color } : {}),
			...(workPosition !== '' ? { workPosition } : {}),
			commands,
		},
		events: new Set(events as BotTriggerEvent[]),
		dialogIds: dialogIds.length > 0 ? new Set(dialogIds) : undefined,
		// On when the filter was never added to the collection.
		ignoreBots: filters.ignoreBots !== false,
		textContains: textContains === '' ? undefined : textContains,
		checkEveryMs: checkEverySeconds * 1000,
	};
}
