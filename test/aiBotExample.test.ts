/**
 * The README's importable "AI chat bot" workflow must stay in step with the nodes: Bot Trigger →
 * typing → AI Agent (Message → Get Many as a tool) → Bot Send Message in Markdown, using only the
 * nodes' own parameter names and values.
 */

import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24 } from '../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24BotTrigger } from '../nodes/Bitrix24BotTrigger/Bitrix24BotTrigger.node';
import { readExampleWorkflow } from './harness/exampleWorkflow';
import type { ExampleNode } from './harness/exampleWorkflow';

const example = readExampleWorkflow('ai-bot.workflow.json');
const byName = new Map(example.nodes.map((node) => [node.name, node]));
const node = (name: string) => byName.get(name) as ExampleNode;

/** Each parameter's allowed values where it has a list (options, multiOptions). */
function allowedValues(properties: INodeProperties[], name: string, where: Record<string, string> = {}): unknown[] {
	return properties
		.filter((property) => property.name === name)
		.filter((property) =>
			Object.entries(where).every(([key, value]) =>
				(property.displayOptions?.show?.[key] as unknown[] | undefined)?.includes(value),
			),
		)
		.flatMap((property) => (property.options ?? []).map((option) => (option as { value?: unknown }).value));
}

describe('examples/ai-bot.workflow.json', () => {
	it('is Bot Trigger → Show Typing → AI Agent (Chat History tool) → Bot Send Message', () => {
		expect(example.connections['Bitrix24 Bot Trigger'].main[0][0].node).toBe('Show Typing');
		expect(example.connections['Show Typing'].main[0][0].node).toBe('AI Agent');
		expect(example.connections['AI Agent'].main[0][0].node).toBe('Bot Send Message');
		expect(example.connections['Chat History'].ai_tool[0][0].node).toBe('AI Agent');
		for (const outputs of Object.values(example.connections)) {
			for (const links of Object.values(outputs))
				for (const link of links.flat()) expect(byName.has(link.node)).toBe(true);
		}
	});

	it("uses only the Bot Trigger's parameters and values", () => {
		const properties = new Bitrix24BotTrigger().description.properties;
		const trigger = node('Bitrix24 Bot Trigger');
		expect(trigger.type).toBe('n8n-nodes-bitrix24.bitrix24BotTrigger');
		const names = new Set(properties.map((property) => property.name));
		for (const key of Object.keys(trigger.parameters)) expect(names).toContain(key);
		const filterNames = (properties.find((property) => property.name === 'filters')?.options ?? []).map(
			(option) => (option as { name: string }).name,
		);
		for (const key of Object.keys(trigger.parameters.filters as object)) expect(filterNames).toContain(key);
		for (const event of trigger.parameters.events as string[])
			expect(allowedValues(properties, 'events')).toContain(event);
		expect(allowedValues(properties, 'botType')).toContain(trigger.parameters.botType);
		expect(allowedValues(properties, 'botColor')).toContain(trigger.parameters.botColor);
	});

	it('typing, history and reply use the Bitrix24 node as it defines them, the reply in Markdown as the bot', () => {
		const properties = new Bitrix24().description.properties;
		const names = new Set(properties.map((property) => property.name));
		for (const name of ['Show Typing', 'Chat History', 'Bot Send Message']) {
			for (const key of Object.keys(node(name).parameters).filter(
				(key) => !['descriptionType', 'toolDescription'].includes(key),
			))
				expect(names).toContain(key);
		}
		expect(node('Show Typing').parameters).toMatchObject({ resource: 'bot', operation: 'sendTyping' });
		expect(allowedValues(properties, 'action', { operation: 'sendTyping' })).toContain(
			node('Show Typing').parameters.action,
		);
		expect(node('Chat History')).toMatchObject({
			type: 'n8n-nodes-bitrix24.bitrix24Tool',
			parameters: { resource: 'message', operation: 'getMany' },
		});
		expect(node('Bot Send Message').parameters).toMatchObject({
			resource: 'bot',
			operation: 'sendMessage',
			messageFormat: 'markdown',
		});
		expect(JSON.stringify(node('Bot Send Message').parameters)).toContain(
			"$('Bitrix24 Bot Trigger').item.json.dialogId",
		);
		// The same bot everywhere: the one the trigger registers.
		const code = node('Bitrix24 Bot Trigger').parameters.botCode;
		expect((node('Show Typing').parameters.bot as { value: string }).value).toBe(code);
		expect((node('Bot Send Message').parameters.bot as { value: string }).value).toBe(code);
	});
});
