/**
 * The README's importable refund-approval workflow must stay in step with the node: its Ask
 * Finance node, run as imported against the fake portal, posts the question and waits.
 */

import { answerWaiting } from './harness/answerWaiting';
import { useFakePortal, webhookCredentials } from './harness/fixtures';
import { runBitrix24 } from './harness/runWorkflow';
import { readExampleWorkflow } from './harness/exampleWorkflow';

const example = readExampleWorkflow('refund-approval.workflow.json');
const node = (name: string) => example.nodes.find((entry) => entry.name === name)!;

const portal = useFakePortal();

it('is Webhook → Ask Finance (Send and Wait) → Approved? → Confirm Refund / Report Not Refunded', () => {
	expect(example.connections['Refund Requested'].main[0][0].node).toBe('Ask Finance');
	expect(example.connections['Ask Finance'].main[0][0].node).toBe('Approved?');
	expect(example.connections['Approved?'].main.map((branch) => branch[0].node)).toEqual([
		'Confirm Refund',
		'Report Not Refunded',
	]);
	expect(node('Ask Finance').parameters.operation).toBe('sendAndWait');
});

it('Ask Finance, as imported, posts the question with Refund and Decline and waits a day at most', async () => {
	const options = {
		credentials: webhookCredentials(portal()),
		items: [{ body: { orderId: 1042, amount: '$120', customer: 'Ann Lee', reason: 'damaged in transit' } }],
		parameters: node('Ask Finance').parameters,
	};
	const before = Date.now();
	const waiting = await runBitrix24(options);
	expect(waiting.error).toBeUndefined();
	expect(waiting.status).toBe('waiting');
	expect((waiting.run.waitTill as Date).getTime()).toBeGreaterThanOrEqual(before + 86_400_000);
	expect(portal().messages[0].message).toBe(
		'[b]Refund request[/b]\nOrder 1042: $120 to Ann Lee.\nReason: damaged in transit',
	);
	const buttons = (portal().messages[0].keyboard as { BUTTONS: Array<{ TEXT: string }> }).BUTTONS;
	expect(buttons.map((button) => button.TEXT)).toEqual(['Refund', 'Decline']);

	const reply = await answerWaiting(options, waiting, { method: 'GET', query: { approved: 'true' } });
	expect(reply.result.workflowData?.[0][0].json).toMatchObject({ data: { approved: true }, dialogId: 'chat1' });
});
