/**
 * The chat-bot shape as an importable workflow: Bitrix24 Bot Trigger → bot "typing" → bot reply
 * (with a command button), with a fixed answer where the AI Agent would be. Shared by the e2e
 * suite and the trigger benchmark's bot mode.
 */
import { credentialReference, linearWorkflow, NODE_TYPE } from './bitrix24Fixtures';
import type { WorkflowFixture, WorkflowFixtureOptions, WorkflowNode } from './bitrix24Fixtures';

export const BOT_TRIGGER_NODE_TYPE = 'n8n-nodes-bitrix24.bitrix24BotTrigger';
export const BOT_TRIGGER_NODE_NAME = 'Bot Trigger';
export const BOT_REPLY_NODE_NAME = 'Bot Reply';

/** `credential`: a webhook credential with a bot token, or an OAuth2 credential. */
export function botReplyWorkflow(
	options: WorkflowFixtureOptions & {
		botCode: string;
		/** The reply's text; `{event}`, `{context}` and `{messageId}` become the trigger item's event, commandContext and messageId. */
		reply: string;
		checkEverySeconds?: number;
		/** A command the bot registers and offers as a button under its reply. */
		buttonCommand?: string;
	},
): WorkflowFixture {
	const credentials = credentialReference(options.credential);
	const authentication = options.credential.type === 'bitrix24OAuth2Api' ? 'oAuth2' : 'webhook';
	const fromTrigger = (field: string) => `$('${BOT_TRIGGER_NODE_NAME}').item.json.${field}`;
	const bot = { __rl: true, mode: 'code', value: options.botCode };
	const dialogId = { __rl: true, mode: 'id', value: `={{ ${fromTrigger('dialogId')} }}` };
	const reply = `=${options.reply
		.replace('{event}', `{{ ${fromTrigger('event')} }}`)
		.replace('{context}', `{{ ${fromTrigger('commandContext')} }}`)
		.replace('{messageId}', `{{ ${fromTrigger('messageId')} }}`)}`;
	const button = options.buttonCommand;
	const nodes: WorkflowNode[] = [
		{
			id: `${options.id}-trigger`,
			name: BOT_TRIGGER_NODE_NAME,
			type: BOT_TRIGGER_NODE_TYPE,
			typeVersion: 1,
			position: [0, 0],
			parameters: {
				authentication,
				botCode: options.botCode,
				botName: 'n8n Assistant',
				...(button ? { commands: { command: [{ command: button, title: 'Ask again', hidden: false }] } } : {}),
				events: ['messageAdd', 'commandAdd'],
				...(options.checkEverySeconds !== undefined ? { checkEverySeconds: options.checkEverySeconds } : {}),
				filters: {},
			},
			credentials,
		},
		{
			id: `${options.id}-typing`,
			name: 'Bot Typing',
			type: NODE_TYPE,
			typeVersion: 1,
			position: [220, 0],
			parameters: { authentication, resource: 'bot', operation: 'sendTyping', bot, dialogId, durationSeconds: 10 },
			credentials,
		},
		{
			id: `${options.id}-reply`,
			name: BOT_REPLY_NODE_NAME,
			type: NODE_TYPE,
			typeVersion: 1,
			position: [440, 0],
			parameters: {
				authentication,
				resource: 'bot',
				operation: 'sendMessage',
				bot,
				dialogId,
				message: reply,
				...(button
					? {
							keyboard: {
								content: {
									mode: 'builder',
									buttons: { button: [{ text: 'Ask again', clickAction: 'command', command: button }] },
								},
							},
						}
					: {}),
				additionalFields: {},
			},
			credentials,
		},
	];
	return linearWorkflow(options.id, options.name, nodes);
}
