import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

import type { INodeProperties } from 'n8n-workflow';

import { Bitrix24 } from '../../../nodes/Bitrix24/Bitrix24.node';

// A source check, not a run: it keeps the shape issue 25 asked for. Every operation runs in the
// one item pipeline, and each input has one reader.
const nodeDir = resolve(__dirname, '../../../nodes/Bitrix24');
const sources = (readdirSync(nodeDir, { recursive: true }) as string[])
	.filter((path) => path.endsWith('.ts'))
	.map((path) => ({ path: path.split('\\').join('/'), text: readFileSync(join(nodeDir, path), 'utf8') }));
const filesSaying = (pattern: RegExp) => sources.filter(({ text }) => pattern.test(text)).map(({ path }) => path);

describe('one item pipeline', () => {
	it('reads the input items and decides continue-on-fail in runner/pipeline.ts alone', () => {
		expect(filesSaying(/\.getInputData\(\)|\.continueOnFail\(\)/)).toEqual(['runner/pipeline.ts']);
	});

	it('wraps an unknown error into a node error in one place', () => {
		expect(filesSaying(/new NodeOperationError\([^;]*?error as Error/)).toEqual(['runner/pipeline.ts']);
	});

	it('says "is not a dialog ID" in the one Dialog reader', () => {
		expect(filesSaying(/is not a dialog ID/)).toEqual(['shared/itemInput.ts']);
	});
});

describe('Options of every operation', () => {
	const properties = new Bitrix24().description.properties;
	const optionsOf = (resource: string, operation: string): string[] => {
		const options = properties.find(
			(property) =>
				property.name === 'options' &&
				property.displayOptions?.show?.resource?.includes(resource) &&
				property.displayOptions?.show?.operation?.includes(operation),
		);
		return ((options?.options ?? []) as INodeProperties[]).map((option) => option.name);
	};
	const operations = properties
		.filter((property) => property.name === 'operation')
		.flatMap((property) =>
			(property.options as Array<{ value: string }>).map((option) => ({
				resource: String(property.displayOptions?.show?.resource?.[0]),
				operation: option.value,
			})),
		)
		.filter(({ operation }) => operation !== 'sendAndWait');

	it('start from the transport options', () => {
		expect(operations.length).toBeGreaterThan(10);
		for (const { resource, operation } of operations) {
			expect({ resource, operation, options: optionsOf(resource, operation) }).toEqual({
				resource,
				operation,
				options: expect.arrayContaining(['maxRetryWaitSeconds', 'ratePlan', 'timeoutSeconds']),
			});
		}
	});

	it('offer Batching only where calls may share a batch request, and Long Text only where a text is split', () => {
		const withOption = (name: string) =>
			operations
				.filter(({ resource, operation }) => optionsOf(resource, operation).includes(name))
				.map(({ resource, operation }) => `${resource}.${operation}`)
				.sort();
		expect(withOption('batching')).toEqual([
			'chat.addUsers',
			'chat.create',
			'chat.get',
			'message.delete',
			'message.react',
			'message.send',
			'message.update',
			'notification.send',
		]);
		expect(withOption('longText')).toEqual(['bot.sendMessage', 'message.send']);
	});
});
