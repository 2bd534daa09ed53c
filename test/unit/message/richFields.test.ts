import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { readRichFields, richFieldProperties } from '../../../nodes/Bitrix24/message/richFields';

const reject = (label: string, problem: string): never => {
	throw new Error(`${label}: ${problem}`);
};

describe('richFieldProperties', () => {
	const entries = richFieldProperties();
	const valuesOf = (entry: INodeProperties) => (entry.options as INodePropertyCollection[])[0].values;

	it('offers one entry per structure, each a single fixedCollection', () => {
		expect(entries.map((entry) => [entry.name, entry.displayName, entry.type])).toEqual([
			['attach', 'Attachment', 'fixedCollection'],
			['keyboard', 'Keyboard', 'fixedCollection'],
			['menu', 'Menu', 'fixedCollection'],
		]);
		for (const entry of entries) expect(entry.options).toHaveLength(1);
	});

	it('comes filled in, so that adding it from "Add Field" shows the switch and the builder at once', () => {
		for (const entry of entries) expect(entry.default).toEqual({ content: { mode: 'builder' } });
	});

	it('takes JSON in a text field that shows an example while empty (no JSON-editor error mark)', () => {
		for (const entry of entries) {
			const json = valuesOf(entry).find((field) => field.name === 'json');
			expect(json).toMatchObject({ type: 'string', default: '' });
			expect(JSON.parse(String(json?.placeholder))).toEqual(expect.any(Array));
		}
	});

	it('puts the Build/JSON choice first and shows the builder or the JSON editor beside it', () => {
		for (const entry of entries) {
			const [mode, ...rest] = valuesOf(entry);
			expect(mode.name).toBe('mode');
			expect(mode.options?.map((option) => ('value' in option ? option.value : undefined))).toEqual([
				'builder',
				'json',
			]);
			expect(rest.find((field) => field.name === 'json')?.displayOptions).toEqual({ show: { mode: ['json'] } });
			const builderFields = rest.filter((field) => field.name !== 'json');
			expect(builderFields.length).toBeGreaterThan(0);
			for (const field of builderFields) expect(field.displayOptions).toEqual({ show: { mode: ['builder'] } });
		}
	});

	it('offers Remove only where asked', () => {
		const [attach] = richFieldProperties({ allowRemove: true });
		expect(valuesOf(attach)[0].options?.map((option) => ('value' in option ? option.value : undefined))).toEqual([
			'builder',
			'json',
			'remove',
		]);
	});
});

describe('readRichFields', () => {
	it('sends nothing for entries added but left empty', () => {
		expect(
			readRichFields(
				{
					attach: {},
					keyboard: { content: { mode: 'json', json: '  ' } },
					menu: { content: { mode: 'builder', items: {} } },
				},
				reject,
			),
		).toEqual({});
	});

	it('reads JSON, builder and remove modes into ATTACH, KEYBOARD and MENU', () => {
		expect(
			readRichFields(
				{
					attach: { content: { mode: 'remove' } },
					keyboard: { content: { mode: 'json', json: '[{"TEXT": "a", "LINK": "/a"}]' } },
					menu: {
						content: { mode: 'builder', items: { item: [{ text: 'b', clickAction: 'copy', actionValue: 'x' }] } },
					},
				},
				reject,
			),
		).toEqual({
			ATTACH: 'N',
			KEYBOARD: [{ TEXT: 'a', LINK: '/a' }],
			MENU: { ITEMS: [{ TEXT: 'b', ACTION: 'COPY', ACTION_VALUE: 'x' }] },
		});
	});

	it('names the structure in a problem', () => {
		expect(() => readRichFields({ menu: { content: { mode: 'json', json: '[{"TEXT": "Go"}]' } } }, reject)).toThrow(
			'Menu: [0] needs an action',
		);
	});
});
