import { NodeOperationError } from 'n8n-workflow';
import type { IExecuteFunctions } from 'n8n-workflow';

import { readBotChoice } from '../shared/botField';
import { invalidInput } from '../shared/itemInput';
import { botTokenProblem } from '../shared/botToken';
import { callMethod, describeFailure } from '../transport';
import type { Bitrix24Connection } from '../transport';
import { objectOf } from '../shared/jsonValue';
import { longTextOption } from './options';
import type { OptionsShape } from './options';
import { oneCallPerItem } from './oneCallPerItem';
import type { OperationSpec } from './oneCallPerItem';
import { runPipeline } from './pipeline';
import type { ItemOperation } from './pipeline';

/**
 * The Options of the Chat Bot operations: the transport options without Batching (bot calls never
 * go through `batch`).
 */
export const botOptions: OptionsShape = { batching: false };

/** Send Message's Options: the bot's, plus Long Text, as Send adds it to the transport options. */
export const botMessageOptions: OptionsShape = { ...botOptions, extra: [longTextOption] };

/** Bot codes resolved in this execution, per portal: Bot.get is asked once per code. */
const botIdsByExecution = new Map<string, Map<string, number>>();
const REMEMBERED_EXECUTIONS_LIMIT = 100;

function codeCacheFor(context: IExecuteFunctions, connection: Bitrix24Connection): Map<string, number> {
	const key = `${context.getExecutionId() ?? ''}\n${connection.portal}`;
	let cache = botIdsByExecution.get(key);
	if (!cache) {
		if (botIdsByExecution.size >= REMEMBERED_EXECUTIONS_LIMIT) {
			const oldest = botIdsByExecution.keys().next().value;
			if (oldest !== undefined) botIdsByExecution.delete(oldest);
		}
		cache = new Map();
		botIdsByExecution.set(key, cache);
	}
	return cache;
}

/**
 * The bot stage of every Chat Bot operation. `start` checks the credential before any item is read:
 * a webhook credential without a usable bot token fails here, saying where to set it. `resolve`
 * turns each item's Bot field into a bot ID before any bot call is sent: codes through
 * imbot.v2.Bot.get (a read), once per code and execution. A Bot field that does not resolve
 * becomes the item's error ("Invalid Bot"), said when the item is prepared.
 */
export const botStage: Pick<ItemOperation<unknown, number>, 'start' | 'resolve'> = {
	async start(run) {
		const connection = await run.connection();
		if (connection.authentication === 'webhook') {
			const problem = botTokenProblem(connection.botToken ?? 'missing');
			if (problem) throw new NodeOperationError(run.context.getNode(), problem);
		}
	},
	async resolve(run, itemIndex) {
		const { context } = run;
		const choice = readBotChoice(context, itemIndex);
		const invalidBot = (problem: string) => invalidInput(context, itemIndex, 'Bot', problem);
		if ('problem' in choice) throw invalidBot(choice.problem);
		if (choice.mode === 'id') return choice.botId;
		const connection = await run.connection();
		const cache = codeCacheFor(context, connection);
		const remembered = cache.get(choice.code);
		if (remembered !== undefined) return remembered;
		const { ratePlan, maxRetryWaitMs, timeoutMs } = run.settings();
		const settings = { ratePlan, maxRetryWaitMs, timeoutMs, idempotent: true };
		const answer = await callMethod(context, connection, 'imbot.v2.Bot.get', { code: choice.code }, settings);
		if (!answer.ok) {
			throw invalidBot(`the bot "${choice.code}" could not be found: ${describeFailure(answer.failure)}`);
		}
		const botId = Number(objectOf(objectOf(answer.result).bot).id);
		if (!Number.isSafeInteger(botId) || botId <= 0) {
			throw invalidBot(`Bitrix24 returned no bot ID for the code "${choice.code}"`);
		}
		cache.set(choice.code, botId);
		return botId;
	},
};

/** A Chat Bot operation of one call per item: the bot stage, then the call, in the pipeline. */
export async function runBotCalls(context: IExecuteFunctions, spec: OperationSpec<number>) {
	return await runPipeline(context, { options: botOptions, ...botStage, ...oneCallPerItem(spec) });
}
