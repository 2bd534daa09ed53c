import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { optionsProperty } from '../runner/options';
import { dialogIdProperty } from '../shared/dialogIdField';
import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { botOptions, runBotCalls } from '../runner/botCalls';

const show = { resource: ['bot'], operation: ['sendTyping'] };

/** Chat.InputAction.notify's statusMessageCode values (chat-input-action-notify.md); "typing" sends none. */
const ACTIONS: Array<{ name: string; value: string }> = [
	{ name: 'Typing…', value: 'typing' },
	{ name: 'Agent Is Analyzing the Request…', value: 'IMBOT_AGENT_ACTION_ANALYZING' },
	{ name: 'Agent Is Calculating…', value: 'IMBOT_AGENT_ACTION_CALCULATING' },
	{ name: 'Agent Is Checking Data…', value: 'IMBOT_AGENT_ACTION_CHECKING' },
	{ name: 'Agent Is Composing a Response…', value: 'IMBOT_AGENT_ACTION_COMPOSING' },
	{ name: 'Agent Is Connecting to the Service…', value: 'IMBOT_AGENT_ACTION_CONNECTING' },
	{ name: 'Agent Is Preparing a Response…', value: 'IMBOT_AGENT_ACTION_GENERATING' },
	{ name: 'Agent Is Processing Data…', value: 'IMBOT_AGENT_ACTION_PROCESSING' },
	{ name: 'Agent Is Reviewing Documents…', value: 'IMBOT_AGENT_ACTION_READING_DOCS' },
	{ name: 'Agent Is Searching for Information…', value: 'IMBOT_AGENT_ACTION_SEARCHING' },
	{ name: 'Agent Is Thinking…', value: 'IMBOT_AGENT_ACTION_THINKING' },
	{ name: 'Agent Is Translating Text…', value: 'IMBOT_AGENT_ACTION_TRANSLATING' },
];
const ACTION_VALUES = new Set(ACTIONS.map((action) => action.value));

export const MIN_TYPING_SECONDS = 1;
export const MAX_TYPING_SECONDS = 600;

export const sendTypingDescription: INodeProperties[] = [
	{ ...dialogIdProperty, displayOptions: { show } },
	{
		displayName: 'Action',
		name: 'action',
		type: 'options',
		default: 'typing',
		displayOptions: { show },
		description: "What the chat shows under the bot's name until it answers or the duration ends",
		options: ACTIONS,
	},
	{
		displayName: 'Duration (Seconds)',
		name: 'durationSeconds',
		type: 'number',
		typeOptions: { minValue: MIN_TYPING_SECONDS, maxValue: MAX_TYPING_SECONDS },
		default: 30,
		displayOptions: { show },
		description: 'How long the indicator shows at most, 1–600 seconds; a message from the bot ends it sooner',
	},
	optionsProperty(show, botOptions),
];

export async function executeBotSendTyping(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runBotCalls(this, {
		prepare(context, itemIndex, botId) {
			const dialogId = readDialogIdField(context, itemIndex);
			const action = String(context.getNodeParameter('action', itemIndex, 'typing'));
			if (!ACTION_VALUES.has(action)) {
				throw invalidInput(context, itemIndex, 'Action', `"${action.slice(0, 40)}" is not one of the listed actions`);
			}
			const duration = Number(context.getNodeParameter('durationSeconds', itemIndex, 30));
			if (!Number.isInteger(duration) || duration < MIN_TYPING_SECONDS || duration > MAX_TYPING_SECONDS) {
				throw invalidInput(
					context,
					itemIndex,
					'Duration (Seconds)',
					`"${String(duration)}" is not a whole number of seconds from ${MIN_TYPING_SECONDS} to ${MAX_TYPING_SECONDS}`,
				);
			}
			const params = {
				botId,
				dialogId,
				...(action !== 'typing' ? { statusMessageCode: action } : {}),
				duration,
			};
			// Showing the indicator twice shows the same indicator.
			return { method: 'imbot.v2.Chat.InputAction.notify', params, idempotent: true };
		},
		output: (_result, call) => ({
			dialogId: call.params.dialogId,
			botId: call.params.botId,
			action: call.params.statusMessageCode ?? 'typing',
			durationSeconds: call.params.duration,
		}),
		uncertainty: 'the indicator may or may not be showing',
	});
}
