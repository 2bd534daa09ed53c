import fc from 'fast-check';
import type { IDataObject } from 'n8n-workflow';

import { encodeBatchCommand, isBatchEncodable } from '../../../nodes/Bitrix24/transport/batchCommand';
import { parsePhpQuery } from '../../fakePortal/phpQuery';

/**
 * Round trip: our encoder → the fake portal's independent parse_str() → compare with the
 * original as PHP represents it. The conversion below is the PHP side of the contract, not a
 * second encoder: http_build_query turns every scalar into a string (true '1', false '0',
 * numbers in decimal), drops null and containers that end up with no pairs, and keeps keys in
 * insertion order; parsePhpQuery shows a PHP array whose keys are exactly 0..n-1 in order as a
 * JS array (like json_encode), any other array as an object.
 */
function asPhpSeesIt(value: unknown): unknown {
	switch (typeof value) {
		case 'string':
			return value;
		case 'number':
			return Number.isFinite(value) ? String(value) : undefined;
		case 'boolean':
			return value ? '1' : '0';
		case 'object': {
			if (value === null) return undefined;
			const entries: Array<[string, unknown]> = Array.isArray(value)
				? value.map((item: unknown, index): [string, unknown] => [String(index), item])
				: Object.entries(value);
			const kept: Array<[string, unknown]> = [];
			for (const [key, item] of entries) {
				const converted = asPhpSeesIt(item);
				if (converted !== undefined) kept.push([key, converted]);
			}
			if (kept.length === 0) return undefined;
			if (kept.every(([key], index) => key === String(index))) return kept.map(([, item]) => item);
			return Object.fromEntries(kept);
		}
		default:
			return undefined;
	}
}

function topLevelAsPhpSeesIt(params: IDataObject): Record<string, unknown> {
	const result: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(params)) {
		const converted = asPhpSeesIt(value);
		if (converted !== undefined) result[key] = converted;
	}
	return result;
}

function decodeQueryOf(command: string): Record<string, unknown> {
	const questionMark = command.indexOf('?');
	return questionMark < 0 ? {} : parsePhpQuery(command.slice(questionMark + 1));
}

// Text with the characters that break naive encoders, mixed with arbitrary Unicode (astral too).
const trickyPiece = fc.constantFrom(
	'&',
	'=',
	'[',
	']',
	'%',
	'+',
	'#',
	'?',
	'\n',
	'\r\n',
	'\t',
	' ',
	'\u0000',
	'%26',
	'%2B',
	'%%',
	'[b]',
	'[/b]',
	'a=b&c=d',
	'ATTACH[0]',
	'😀',
	'👨‍👩‍👧',
	'Ж',
	'世',
	'\u00A0',
);
const text = fc
	.array(fc.oneof(trickyPiece, fc.string({ unit: 'binary', maxLength: 6 })), { maxLength: 8 })
	.map((pieces) => pieces.join(''));

// Keys: the Bitrix24 style, plus arbitrary text within what PHP can represent (see
// batchEncodingProblems): no ']' or NUL, no leading whitespace, not empty.
const bitrixKey = fc.stringMatching(/^[A-Z][A-Z_]{0,11}$/);
const nestedKey = fc.oneof(
	bitrixKey,
	text.filter((key) => key !== '' && !/[\]\0]/.test(key) && !/^\s/.test(key) && key !== '__proto__'),
);

const scalar = fc.oneof(
	{ weight: 6, arbitrary: text },
	{ weight: 1, arbitrary: fc.integer() },
	{ weight: 1, arbitrary: fc.double({ noNaN: true, noDefaultInfinity: true }) },
	{ weight: 1, arbitrary: fc.boolean() },
	{ weight: 1, arbitrary: fc.constantFrom(null, undefined) },
);

// Nested objects and arrays of any shape, including empty ones and null holes.
const { tree } = fc.letrec<{ tree: unknown; node: unknown }>((tie) => ({
	tree: fc.oneof({ depthSize: 'small', withCrossShrink: true }, scalar, tie('node')),
	node: fc.oneof(fc.array(tie('tree'), { maxLength: 4 }), fc.dictionary(nestedKey, tie('tree'), { maxKeys: 4 })),
}));

const attachBlock = fc.oneof(
	fc.record({ MESSAGE: text }),
	fc.record({ LINK: fc.record({ LINK: text, NAME: text, DESC: text }, { requiredKeys: ['LINK'] }) }),
	fc.record({
		GRID: fc.array(fc.record({ DISPLAY: fc.constantFrom('LINE', 'BLOCK', 'ROW'), NAME: text, VALUE: text }), {
			maxLength: 3,
		}),
	}),
	fc.record({
		IMAGE: fc.array(fc.record({ LINK: text, NAME: text, WIDTH: fc.nat(), HEIGHT: fc.nat() }), { maxLength: 2 }),
	}),
	fc.record({ DELIMITER: fc.record({ SIZE: fc.nat(), COLOR: text }) }),
);
const attach = fc.oneof(
	fc.array(attachBlock, { maxLength: 4 }),
	fc.record({
		ID: fc.nat(),
		COLOR_TOKEN: fc.constantFrom('primary', 'secondary', 'alert', 'base'),
		BLOCKS: fc.array(attachBlock, { maxLength: 4 }),
	}),
);
const button = fc.oneof(
	fc.record({
		TEXT: text,
		LINK: text,
		BG_COLOR: text,
		DISPLAY: fc.constantFrom('LINE', 'BLOCK'),
		DISABLED: fc.constantFrom('Y', 'N'),
	}),
	fc.record({ TEXT: text, ACTION: fc.constantFrom('PUT', 'SEND', 'COPY', 'CALL', 'DIALOG'), ACTION_VALUE: text }),
	fc.constant({ TYPE: 'NEWLINE' }),
);
const keyboard = fc.oneof(
	fc.array(button, { maxLength: 5 }),
	fc.record({ BUTTONS: fc.array(button, { maxLength: 5 }) }),
);
const menu = fc.oneof(
	fc.array(fc.record({ TEXT: text, ACTION: fc.constantFrom('PUT', 'SEND', 'COPY'), ACTION_VALUE: text }), {
		maxLength: 4,
	}),
	fc.record({ ITEMS: fc.array(fc.record({ TEXT: text, LINK: text }), { maxLength: 4 }) }),
);

const messageParams = fc.record(
	{
		DIALOG_ID: fc.oneof(
			fc.nat().map(String),
			fc.nat().map((id) => `chat${id}`),
		),
		MESSAGE: text,
		ATTACH: fc.oneof(attach, tree),
		KEYBOARD: fc.oneof(keyboard, tree),
		MENU: fc.oneof(menu, tree),
		SYSTEM: fc.constantFrom('Y', 'N'),
		URL_PREVIEW: fc.constantFrom('Y', 'N'),
		REPLY_ID: fc.oneof(fc.nat(), fc.constant(undefined)),
	},
	{ requiredKeys: ['DIALOG_ID'] },
) as fc.Arbitrary<IDataObject>;

const runs = { numRuns: 2000 };

describe('encodeBatchCommand round-trips through the fake portal parse_str()', () => {
	it('im.message.add parameters with arbitrary MESSAGE, ATTACH, KEYBOARD and MENU', () => {
		fc.assert(
			fc.property(messageParams, (params) => {
				const command = encodeBatchCommand('im.message.add', params);
				expect(command.slice(0, command.indexOf('?'))).toBe('im.message.add');
				expect(decodeQueryOf(command)).toEqual(topLevelAsPhpSeesIt(params));
			}),
			runs,
		);
	});

	it('arbitrary nested structures under arbitrary Bitrix-style top-level keys', () => {
		fc.assert(
			fc.property(fc.dictionary(bitrixKey, tree, { maxKeys: 5 }), (params) => {
				expect(decodeQueryOf(encodeBatchCommand('x.y', params as IDataObject))).toEqual(
					topLevelAsPhpSeesIt(params as IDataObject),
				);
			}),
			runs,
		);
	});

	it('loses nothing at all when isBatchEncodable says so (every key and every scalar arrives)', () => {
		// Without null/undefined, "nothing lost" is checkable: count every scalar leaf.
		const { dense } = fc.letrec<{ dense: unknown; container: unknown }>((tie) => ({
			dense: fc.oneof({ depthSize: 'small' }, text, fc.integer(), fc.boolean(), tie('container')),
			container: fc.oneof(
				fc.array(tie('dense'), { maxLength: 4 }),
				fc.dictionary(nestedKey, tie('dense'), { maxKeys: 4 }),
			),
		}));
		const countLeaves = (value: unknown): number =>
			typeof value === 'object' && value !== null
				? Object.values(value).reduce((sum: number, item) => sum + countLeaves(item), 0)
				: 1;
		fc.assert(
			fc.property(fc.dictionary(bitrixKey, dense, { maxKeys: 5 }), (params) => {
				fc.pre(isBatchEncodable(params as IDataObject));
				const decoded = decodeQueryOf(encodeBatchCommand('x.y', params as IDataObject));
				expect(countLeaves(decoded)).toBe(countLeaves(params));
				expect(decoded).toEqual(topLevelAsPhpSeesIt(params as IDataObject));
			}),
			runs,
		);
	});
});
