/**
 * The README's importable "AI assistant in a Bitrix24 chat" workflow must stay in step with the
 * nodes: the names it uses must be the nodes' own, and every connection must lead somewhere.
 */

import { Bitrix24 } from '../nodes/Bitrix24/Bitrix24.node';
import { Bitrix24Trigger } from '../nodes/Bitrix24Trigger/Bitrix24Trigger.node';
import { readExampleWorkflow } from './harness/exampleWorkflow';
import type { ExampleNode } from './harness/exampleWorkflow';

const example = readExampleWorkflow('ai-assistant.workflow.json');
const byName = new Map(example.nodes.map((node) => [node.name, node]));
const propertyNames = (properties: Array<{ name: string; options?: unknown[] }>): Set<string> => {
	const names = new Set<string>();
	for (const property of properties) {
		names.add(property.name);
		for (const option of (property.options ?? []) as Array<{ name?: string; value?: unknown }>) {
			if (option.name && option.value === undefined) names.add(`${property.name}.${option.name}`);
		}
	}
	return names;
};

describe('examples/ai-assistant.workflow.json', () => {
	it('is Trigger → AI Agent (with the Bitrix24 node as a tool) → Send as Reply', () => {
		expect(example.connections['Bitrix24 Trigger'].main[0][0].node).toBe('AI Agent');
		expect(example.connections['AI Agent'].main[0][0].node).toBe('Send as Reply');
		expect(byName.get('Post to a Bitrix24 Chat')?.type).toBe('n8n-nodes-bitrix24.bitrix24Tool');
		expect(example.connections['Post to a Bitrix24 Chat'].ai_tool[0][0].node).toBe('AI Agent');
		for (const outputs of Object.values(example.connections)) {
			for (const links of Object.values(outputs))
				for (const link of links.flat()) expect(byName.has(link.node)).toBe(true);
		}
	});

	it('uses only parameters and values the Bitrix24 nodes define', () => {
		const trigger = byName.get('Bitrix24 Trigger') as ExampleNode;
		const triggerNames = propertyNames(new Bitrix24Trigger().description.properties as never);
		for (const key of Object.keys(trigger.parameters)) expect(triggerNames).toContain(key);
		// The listening trigger: the polling version's Poll Times are gone.
		expect(trigger.parameters.checkEverySeconds).toBe(5);
		for (const key of Object.keys(trigger.parameters.filters as object))
			expect(triggerNames).toContain(`filters.${key}`);
		expect(trigger.parameters.events).toEqual(['messageAdd']);

		const sendNames = propertyNames(new Bitrix24().description.properties as never);
		for (const nodeName of ['Send as Reply', 'Post to a Bitrix24 Chat']) {
			const node = byName.get(nodeName) as ExampleNode;
			for (const key of Object.keys(node.parameters).filter(
				(key) => !['descriptionType', 'toolDescription'].includes(key),
			)) {
				expect(sendNames).toContain(key);
			}
		}
		const reply = byName.get('Send as Reply') as ExampleNode;
		expect(JSON.stringify(reply.parameters)).toContain("$('Bitrix24 Trigger').item.json.dialogId");
		expect(JSON.stringify(reply.parameters)).toContain("$('Bitrix24 Trigger').item.json.messageId");
		expect(sendNames).toContain('additionalFields.replyId');
		expect(sendNames).toContain('messageFormat');
	});
});
