import { join, resolve } from 'node:path';

import type { INodeProperties, INodeTypeDescription } from 'n8n-workflow';

import { lockProblems, packageNodeDescriptions } from '../../../scripts/lib/parameterShapeLocks';
import type { ParameterEntry } from '../../../scripts/lib/parameterShapes';
import { breakingChanges, parameterShapes } from '../../../scripts/lib/parameterShapes';

const root = resolve(__dirname, '../../..');
// package.json lists the built files (dist/…/X.node.js); the tests read their sources.
const fromSource = (packagePath: string): unknown =>
	jest.requireActual(join(root, packagePath.replace(/^dist\//, '').replace(/\.js$/, '')));

function node(properties: INodeProperties[], version: number | number[] = 1): INodeTypeDescription {
	return { name: 'example', version, properties } as unknown as INodeTypeDescription;
}

const operation: INodeProperties = {
	displayName: 'Operation',
	name: 'operation',
	type: 'options',
	options: [{ name: 'Send', value: 'send' }],
	default: 'send',
	displayOptions: { show: { resource: ['message'] } },
};
const text: INodeProperties = {
	displayName: 'Text',
	name: 'text',
	type: 'string',
	default: '',
	displayOptions: { show: { operation: ['send'] } },
};
const options: INodeProperties = {
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	default: {},
	options: [
		{ displayName: 'Format', name: 'format', type: 'options', options: [{ name: 'BB', value: 'bb' }], default: 'bb' },
	],
};
const published = parameterShapes(node([operation, text, options]), 1);

const changed = (properties: INodeProperties[]) => breakingChanges(published, parameterShapes(node(properties), 1));

describe('breakingChanges: what a workflow saved with a published version would notice', () => {
	it('accepts additions: an operation value, a field, a collection option, a wider display condition', () => {
		const wider = { ...text, displayOptions: { show: { operation: ['send', 'sendAndWait'] } } };
		const moreOperations = {
			...operation,
			options: [...(operation.options ?? []), { name: 'Send and Wait', value: 'sendAndWait' }],
		};
		const moreOptions = {
			...options,
			options: [...(options.options ?? []), { displayName: 'Silent', name: 'silent', type: 'boolean', default: false }],
		} as INodeProperties;
		const extra: INodeProperties = { displayName: 'Extra', name: 'extra', type: 'string', default: '' };
		expect(changed([moreOperations, wider, moreOptions, extra])).toEqual([]);
	});

	it('names a renamed parameter and one moved into a collection', () => {
		expect(changed([operation, { ...text, name: 'message' }, options])).toEqual([
			expect.stringMatching(/^text \(shown for .*\): removed, renamed, moved/),
		]);
		const moved = { ...options, options: [...(options.options ?? []), { ...text, displayOptions: undefined }] };
		expect(changed([operation, moved as INodeProperties])).toEqual([
			expect.stringMatching(/^text .*removed, renamed, moved/),
		]);
	});

	it('names a changed type, default, removed option value and a narrower display condition', () => {
		const format = {
			...(options.options as INodeProperties[])[0],
			options: [{ name: 'MD', value: 'md' }],
			default: 'md',
		};
		expect(
			changed([
				{ ...operation, displayOptions: { show: { resource: ['message'], mode: ['x'] } } },
				{ ...text, type: 'number', default: 0 },
				{ ...options, options: [format] } as INodeProperties,
			]),
		).toEqual([
			expect.stringMatching(/^operation .*no longer shown where it was/),
			expect.stringMatching(/^text .*type string became number/),
			expect.stringMatching(/^text .*default "" became 0/),
			'options.format: default "bb" became "md"',
			'options.format: option value(s) bb no longer accepted',
		]);
	});

	it("reads each node version's own parameters (@version display conditions)", () => {
		const onlyV2 = { ...text, name: 'v2Only', displayOptions: { show: { '@version': [{ _cnd: { gte: 2 } }] } } };
		const description = node([operation, onlyV2 as INodeProperties], [1, 2]);
		expect(parameterShapes(description, 1).map((entry) => entry.path)).toEqual(['operation']);
		expect(parameterShapes(description, 2).map((entry) => entry.path)).toEqual(['operation', 'v2Only']);
	});
});

describe("this package's nodes", () => {
	const descriptions = packageNodeDescriptions(fromSource);

	it('every locked (published) node version still reads the workflows saved with it', () => {
		expect(lockProblems(descriptions, false)).toEqual([]);
	});

	it("would report 0.1.0's attachment fields as gone, as CHANGELOG.md says", () => {
		const bitrix24 = descriptions.find((description) => description.name === 'bitrix24');
		const sendOnly = { resource: ['message'], operation: ['send'] };
		const v010: ParameterEntry[] = [
			{ path: 'additionalFields', show: sendOnly, shape: { type: 'collection' } },
			{ path: 'additionalFields.attachMode', shape: { type: 'options', default: 'json', values: ['builder', 'json'] } },
		];
		expect(breakingChanges(v010, parameterShapes(bitrix24!, 1))).toEqual([
			'additionalFields.attachMode: removed, renamed, moved, or no longer shown where it was',
		]);
	});
});
