/**
 * The Chat Bot resource in real n8n: a workflow shows the bot typing, then sends as the bot,
 * through a webhook credential with a bot token. The token reaches the portal and nothing else.
 */
import {
	credentialReference,
	linearWorkflow,
	manualTriggerNode,
	NODE_TYPE,
	WEBHOOK_CREDENTIAL_TYPE,
} from '../../scripts/lib/bitrix24Fixtures';
import type { CredentialFixture, WorkflowFixture, WorkflowNode } from '../../scripts/lib/bitrix24Fixtures';
import type { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import { assertExitCode, nodeOutputItems } from '../../scripts/lib/n8nCli';
import { FAKE_WEBHOOK_CODE, startFakePortal } from '../fakePortal';
import type { FakePortal } from '../fakePortal';
import { n8nWith } from './n8nWith';

const BOT_TOKEN = 'e2eBotToken-0123456789';
const WORKFLOW_ID = 'e2eBotTypingSend';

let portal: FakePortal;
let n8n: HeadlessN8n;

const credential = (): CredentialFixture => ({
	id: 'e2eBotWebhook001',
	name: 'Bitrix24 e2e bot webhook',
	type: WEBHOOK_CREDENTIAL_TYPE,
	data: { webhookUrl: portal.webhookUrl, botToken: BOT_TOKEN },
});

function botNode(name: string, position: number, parameters: Record<string, unknown>): WorkflowNode {
	return {
		id: `${WORKFLOW_ID}-${position}`,
		name,
		type: NODE_TYPE,
		typeVersion: 1,
		position: [220 * position, 0],
		credentials: credentialReference(credential()),
		parameters: {
			authentication: 'webhook',
			resource: 'bot',
			bot: { __rl: true, mode: 'code', value: 'e2e_bot' },
			...parameters,
		},
	};
}

const workflow = (): WorkflowFixture =>
	linearWorkflow(WORKFLOW_ID, 'e2e: bot typing then reply', [
		manualTriggerNode(WORKFLOW_ID),
		botNode('Bot Typing', 1, {
			operation: 'sendTyping',
			dialogId: { __rl: true, mode: 'id', value: '5' },
			action: 'IMBOT_AGENT_ACTION_THINKING',
			durationSeconds: 10,
		}),
		botNode('Bot Reply', 2, {
			operation: 'sendMessage',
			dialogId: { __rl: true, mode: 'id', value: '={{ $json.dialogId }}' },
			messageFormat: 'markdown',
			message: '=**Done**, {{ $json.action }}',
		}),
	]);

beforeAll(async () => {
	portal = await startFakePortal({ webhook: { userId: 1, secret: FAKE_WEBHOOK_CODE, scopes: ['im', 'imbot'] } });
	n8n = await n8nWith([credential()], [workflow()]);
});

afterAll(async () => {
	n8n?.dispose();
	await portal?.close();
});

test('shows the bot thinking, then replies as the bot, once; the bot token stays out of the run data', async () => {
	const bot = portal.seedBot({ code: 'e2e_bot', name: 'E2E', botToken: BOT_TOKEN });
	const { command, run } = await n8n.execute(WORKFLOW_ID);

	assertExitCode(command, (code) => code === 0, '0');
	expect(portal.botInputActions).toEqual([
		{ botId: bot.id, dialogId: '5', statusMessageCode: 'IMBOT_AGENT_ACTION_THINKING', duration: 10 },
	]);
	expect(portal.messages.map(({ dialogId, message, botId }) => ({ dialogId, message, botId }))).toEqual([
		{ dialogId: '5', message: '[b]Done[/b], IMBOT_AGENT_ACTION_THINKING', botId: bot.id },
	]);
	expect(nodeOutputItems(run!, 'Bot Reply')).toEqual([
		{ messageId: portal.messages[0].id, dialogId: '5', botId: bot.id },
	]);
	expect(JSON.stringify(run)).not.toContain(BOT_TOKEN);
	expect(`${command.stdout}${command.stderr}`).not.toContain(BOT_TOKEN);
	expect(
		portal.calls.filter((call) => call.method.startsWith('imbot.')).every((call) => call.params.botToken === BOT_TOKEN),
	).toBe(true);
});
