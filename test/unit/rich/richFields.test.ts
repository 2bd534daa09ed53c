import type { INodeProperties, INodePropertyCollection } from 'n8n-workflow';

import { readRichFields, richFieldProperties } from '../../../nodes/Bitrix24/rich/richFields';

const reject = (label: string, problem: string): never => {
	throw new Error(`${label}: ${problem}`);
};

describe('richFieldProperties', () => {
	const shown = { show: { resource: ['message'], operation: ['send'] } };
	const entries = richFieldProperties({ displayOptions: shown });
	const valuesOf = (entry: INodeProperties) => (entry.options as INodePropertyCollection[])[0].values;

	it('offers one entry per structure, each a single fixedCollection', () => {
		expect(entries.map((entry) => [entry.name, entry.displayName, entry.type])).toEqual([
			['attach', 'Attachment', 'fixedCollection'],
			['keyboard', 'Keyboard', 'fixedCollection'],
			['menu', 'Menu', 'fixedCollection'],
		]);
		for (const entry of entries) expect(entry.options).toHaveLength(1);
	});

	it('sits at the top level of the operation, empty: one Add button, no empty box once deleted', () => {
		for (const entry of entries) {
			expect(entry.displayOptions).toEqual(shown);
			expect(entry.default).toEqual({});
			expect(entry.typeOptions).toMatchObject({ hideEmptyMessage: true });
		}
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

	it('offers Remove only where asked, as its own field, not as a way to give a structure', () => {
		expect(entries.map((property) => property.name)).toEqual(['attach', 'keyboard', 'menu']);
		const properties = richFieldProperties({ displayOptions: shown, allowRemove: true, only: ['attach', 'keyboard'] });
		expect(properties[2].displayOptions).toEqual(shown);
		expect(properties.map((property) => [property.name, property.type])).toEqual([
			['attach', 'fixedCollection'],
			['keyboard', 'fixedCollection'],
			['remove', 'multiOptions'],
		]);
		expect(properties[2].options?.map((option) => ('value' in option ? option.value : undefined))).toEqual([
			'attach',
			'keyboard',
		]);
		expect(valuesOf(properties[0])[0].options?.map((option) => ('value' in option ? option.value : undefined))).toEqual(
			['builder', 'json'],
		);
		// Deleting the one entry leaves the Add button, not an empty "no items" box.
		expect(properties[0].typeOptions).toMatchObject({ hideEmptyMessage: true });
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

	it('reads Remove, JSON and builder into ATTACH, KEYBOARD and MENU', () => {
		expect(
			readRichFields(
				{
					remove: ['attach'],
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

	it('refuses a structure both given and removed, naming Remove', () => {
		expect(() =>
			readRichFields(
				{ remove: ['keyboard'], keyboard: { content: { mode: 'json', json: '[{"TEXT": "a", "LINK": "/a"}]' } } },
				reject,
			),
		).toThrow('Remove: the keyboard is both given and removed');
		expect(() => readRichFields({ remove: ['title'] }, reject)).toThrow('Remove: "title" is not one of');
	});

	it('names the structure in a problem', () => {
		expect(() => readRichFields({ menu: { content: { mode: 'json', json: '[{"TEXT": "Go"}]' } } }, reject)).toThrow(
			'Menu: [0] needs an action',
		);
	});
});
