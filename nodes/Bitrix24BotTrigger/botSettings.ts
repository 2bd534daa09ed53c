import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { BOT_CODE_PATTERN } from '../Bitrix24/shared/botField';
import { readFilters, readListeningSettings } from '../shared/listening/triggerParameters';
import type { ListeningSettings } from '../shared/listening/triggerParameters';
import { botTriggerEvents } from './botEventTypes';
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

export interface BotTriggerSettings extends ListeningSettings<BotTriggerEvent> {
	bot: BotProfile;
	ignoreBots: boolean;
}

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
	const shared = readListeningSettings(context, botTriggerEvents, DEFAULT_BOT_CHECK_EVERY_SECONDS);
	return {
		...shared,
		bot: {
			code,
			name,
			type,
			...(color !== '' ? { color } : {}),
			...(workPosition !== '' ? { workPosition } : {}),
			commands,
		},
		// On when the filter was never added to the collection.
		ignoreBots: readFilters(context).ignoreBots !== false,
	};
}
