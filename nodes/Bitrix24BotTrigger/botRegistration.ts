import { NodeOperationError } from 'n8n-workflow';
import type { IDataObject, ITriggerFunctions } from 'n8n-workflow';

import { botTokenProblem } from '../Bitrix24/shared/botToken';
import { objectOf, objectsIn } from '../Bitrix24/shared/jsonValue';
import { callMethod, failureToNodeApiError } from '../Bitrix24/transport';
import type { Bitrix24Connection, CallSettings } from '../Bitrix24/transport';
import type { BotProfile } from './botSettings';

/** Waits after refusals (rate limit) end here: an activation should not hang for minutes. */
const MAX_RETRY_WAIT_MS = 30_000;
const REQUEST_TIME_LIMIT_MS = 30_000;

export interface RegisteredBot {
	botId: number;
	code: string;
	/** What registering did, for the log: nothing, an update, commands added. */
	changes: string[];
}

/**
 * Colours applied in this process, per portal and bot: Bitrix24 answers a bot's colour as a hex
 * value, never as the colour code it was set with, so a changed colour code is recognised against
 * what this process last applied (after a restart the colour is sent once more, which is harmless).
 */
const appliedColors = new Map<string, string>();

async function call(
	context: ITriggerFunctions,
	connection: Bitrix24Connection,
	method: string,
	params: IDataObject,
	idempotent: boolean,
	signal: AbortSignal,
): Promise<IDataObject> {
	const settings: CallSettings = {
		ratePlan: 'standard',
		maxRetryWaitMs: MAX_RETRY_WAIT_MS,
		timeoutMs: REQUEST_TIME_LIMIT_MS,
		idempotent,
		signal,
	};
	const outcome = await callMethod(context, connection, method, params, settings);
	if (!outcome.ok) throw failureToNodeApiError(context.getNode(), outcome.failure);
	return objectOf(outcome.body.result);
}

function propertiesOf(profile: BotProfile): IDataObject {
	return {
		name: profile.name,
		...(profile.workPosition !== undefined ? { workPosition: profile.workPosition } : {}),
		...(profile.color !== undefined ? { color: profile.color } : {}),
	};
}

/**
 * Registers the bot, or finds it registered, and brings it to the node's settings without ever
 * unregistering or recreating it (its chats and history stay):
 * - Bot.register with the same code and owner returns the existing bot unchanged, so what differs
 *   (name, job title, colour) is sent with Bot.update;
 * - commands missing from Command.list are registered; existing ones are left as they are.
 */
export async function registerBot(
	context: ITriggerFunctions,
	connection: Bitrix24Connection,
	profile: BotProfile,
	signal: AbortSignal,
): Promise<RegisteredBot> {
	if (connection.authentication === 'webhook') {
		const problem = botTokenProblem(connection.botToken ?? 'missing');
		if (problem) throw new NodeOperationError(context.getNode(), problem);
	}
	const changes: string[] = [];
	// Registering twice returns the same bot: safe to resend.
	const registered = await call(
		context,
		connection,
		'imbot.v2.Bot.register',
		{ fields: { code: profile.code, type: profile.type, eventMode: 'fetch', properties: propertiesOf(profile) } },
		true,
		signal,
	);
	const bot = objectOf(registered.bot);
	const botId = Number(bot.id);
	if (!Number.isSafeInteger(botId) || botId <= 0) {
		throw new NodeOperationError(
			context.getNode(),
			`Bitrix24 registered the bot "${profile.code}" but returned no bot ID`,
		);
	}
	const user = objectsIn(registered.users).find((candidate) => Number(candidate.id) === botId) ?? {};

	if (typeof bot.type === 'string' && bot.type !== profile.type) {
		// Bot.update has no type field: only a new bot (another code) can have another type.
		context.logger.warn(
			`Bitrix24 Bot Trigger "${context.getNode().name}": the bot "${profile.code}" is registered as type "${bot.type}"; Bitrix24 cannot change a bot's type, so it stays. Use another Bot Code for a bot of type "${profile.type}".`,
		);
	}
	const colorKey = `${connection.portal}/${botId}`;
	const nameDiffers = String(user.firstName ?? user.name ?? '') !== profile.name;
	const positionDiffers =
		profile.workPosition !== undefined && String(user.workPosition ?? '') !== profile.workPosition;
	const colorDiffers = profile.color !== undefined && appliedColors.get(colorKey) !== profile.color;
	if (nameDiffers || positionDiffers || colorDiffers) {
		await call(
			context,
			connection,
			'imbot.v2.Bot.update',
			{ botId, fields: { properties: propertiesOf(profile) } },
			true,
			signal,
		);
		changes.push('updated');
	}
	if (profile.color !== undefined) appliedColors.set(colorKey, profile.color);

	if (profile.commands.length > 0) {
		const listed = await call(context, connection, 'imbot.v2.Command.list', { botId }, true, signal);
		const existing = new Set(
			objectsIn(listed.commands)
				.filter((command) => command.botId === undefined || Number(command.botId) === botId)
				.map((command) =>
					String(command.command ?? '')
						.replace(/^\//, '')
						.toLowerCase(),
				),
		);
		const language = typeof bot.language === 'string' && bot.language !== '' ? bot.language : 'en';
		for (const command of profile.commands) {
			if (existing.has(command.command)) continue;
			const localised = (value: string) => ({ en: value, ...(language !== 'en' ? { [language]: value } : {}) });
			// Command.register is idempotent (an existing command is returned unchanged).
			await call(
				context,
				connection,
				'imbot.v2.Command.register',
				{
					botId,
					fields: {
						command: command.command,
						...(command.title !== '' ? { title: localised(command.title) } : {}),
						...(command.params !== '' ? { params: localised(command.params) } : {}),
						hidden: command.hidden,
					},
				},
				true,
				signal,
			);
			changes.push(`command /${command.command} registered`);
		}
	}
	return { botId, code: profile.code, changes };
}
