import type { IDataObject } from 'n8n-workflow';

import {
	MAX_BATCH_NESTING_LEVEL,
	batchEncodingProblems,
	encodeBatchCommand,
	isBatchEncodable,
} from '../../../nodes/Bitrix24/transport/batchCommand';
import { parsePhpQuery } from '../../fakePortal/phpQuery';

/** What the server sees for one command: the method, and parse_str() of the query. */
function decodeOnServer(command: string): { method: string; params: Record<string, unknown> } {
	const questionMark = command.indexOf('?');
	if (questionMark < 0) return { method: command, params: {} };
	return { method: command.slice(0, questionMark), params: parsePhpQuery(command.slice(questionMark + 1)) };
}

describe('encodeBatchCommand: exact output', () => {
	it('writes nested keys PHP-style with literal brackets and explicit array indices', () => {
		const command = encodeBatchCommand('im.message.add', {
			DIALOG_ID: 'chat1',
			MESSAGE: 'Hi',
			ATTACH: [{ MESSAGE: 'a' }, { GRID: [{ NAME: 'n', VALUE: 'v' }] }],
		});
		expect(command).toBe(
			'im.message.add?DIALOG_ID=chat1&MESSAGE=Hi&ATTACH[0][MESSAGE]=a&ATTACH[1][GRID][0][NAME]=n&ATTACH[1][GRID][0][VALUE]=v',
		);
	});

	it('returns the bare method name when no parameter produces a pair', () => {
		expect(encodeBatchCommand('profile', {})).toBe('profile');
		expect(encodeBatchCommand('profile', { A: null, B: undefined, C: [] })).toBe('profile');
	});

	it('encodes numbers, bigints and booleans like http_build_query', () => {
		expect(encodeBatchCommand('m', { I: 34237, F: 1.5, N: -2, Z: -0, B: true, C: false })).toBe(
			'm?I=34237&F=1.5&N=-2&Z=0&B=1&C=0',
		);
		expect(encodeBatchCommand('m', { Big: 12345678901234567890n } as unknown as IDataObject)).toBe(
			'm?Big=12345678901234567890',
		);
		// '+' of the exponent must not turn into a space on the server.
		expect(encodeBatchCommand('m', { E: 1e21 })).toBe('m?E=1e%2B21');
		expect(decodeOnServer(encodeBatchCommand('m', { E: 1e21 })).params).toEqual({ E: '1e+21' });
	});

	it('omits null, undefined, NaN, Infinity and empty containers (PHP emits nothing for them)', () => {
		expect(
			encodeBatchCommand('m', {
				A: null,
				B: undefined,
				C: Number.NaN,
				D: Number.POSITIVE_INFINITY,
				E: [],
				F: {},
				G: [null, 'x'],
				H: 'kept',
			}),
		).toBe('m?G[1]=x&H=kept');
	});

	it('encodes keys, not only values', () => {
		expect(encodeBatchCommand('m', { 'a&b=c': { 'd%e+f#': 'v' } })).toBe('m?a%26b%3Dc[d%25e%2Bf%23]=v');
		expect(decodeOnServer(encodeBatchCommand('m', { 'a&b=c': { 'd%e+f#': 'v' } })).params).toEqual({
			'a&b=c': { 'd%e+f#': 'v' },
		});
	});

	it('rejects a method name that would rewrite the command', () => {
		expect(() => encodeBatchCommand('im.message.add?X=1', {})).toThrow(TypeError);
		expect(() => encodeBatchCommand('', {})).toThrow(TypeError);
		expect(() => encodeBatchCommand('a&b', {})).toThrow(TypeError);
	});

	it('throws instead of overflowing the stack on cyclic input', () => {
		const cyclic: IDataObject = { NAME: 'x' };
		cyclic.SELF = cyclic;
		expect(() => encodeBatchCommand('m', { ATTACH: cyclic })).toThrow(RangeError);
	});

	it('accepts exactly the nesting depth PHP accepts', () => {
		let value: unknown = 'leaf';
		for (let level = 0; level < MAX_BATCH_NESTING_LEVEL; level++) value = [value];
		const command = encodeBatchCommand('m', { DEEP: value as IDataObject });
		expect(command.split('[0]')).toHaveLength(MAX_BATCH_NESTING_LEVEL + 1);
		// The fake portal applies max_input_nesting_level = 64 like PHP: the value must survive.
		let decoded: unknown = decodeOnServer(command).params.DEEP;
		for (let level = 0; level < MAX_BATCH_NESTING_LEVEL; level++) decoded = (decoded as unknown[])[0];
		expect(decoded).toBe('leaf');
		expect(() => encodeBatchCommand('m', { DEEP: [value] as IDataObject[] })).toThrow(RangeError);
	});
});

describe('encodeBatchCommand: each special character survives the PHP decoder', () => {
	const specials: Array<[string, string]> = [
		['ampersand', 'Tom & Jerry'],
		['equals sign', 'a=b==c'],
		['square brackets', '[b]bold[/b] [url=https://x.y/?a=1&b=2]link[/url]'],
		['percent sign', '100% sure, %41 is not A, %%'],
		['plus sign', '1+1 = 2, a+b'],
		['hash', '#general #1'],
		['question mark', 'why? because?'],
		['newline and carriage return', 'line 1\nline 2\r\nline 3'],
		['tab and spaces', '\t indented  text '],
		['NUL byte', 'before\u0000after'],
		['Cyrillic and CJK', 'Привет, 世界'],
		['astral emoji and ZWJ sequence', '🚀 👨‍👩‍👧 🇺🇦'],
		['characters encodeURIComponent leaves alone', "-_.!~*'()"],
		['already-encoded looking text', 'a%20b%2Bc%26d'],
	];

	it.each(specials)('%s', (_name, text) => {
		const command = encodeBatchCommand('im.message.add', {
			MESSAGE: text,
			ATTACH: [{ MESSAGE: text }],
			KEYBOARD: [{ TEXT: text, ACTION: 'SEND', ACTION_VALUE: text }],
		});
		const questionMark = command.indexOf('?');
		// Nothing in the query may be a raw delimiter or raw non-ASCII.
		expect(command.slice(questionMark + 1)).toMatch(/^[A-Za-z0-9\-_.!~*'()%[\]=&]*$/);
		expect(decodeOnServer(command)).toEqual({
			method: 'im.message.add',
			params: {
				MESSAGE: text,
				ATTACH: [{ MESSAGE: text }],
				KEYBOARD: [{ TEXT: text, ACTION: 'SEND', ACTION_VALUE: text }],
			},
		});
	});

	it('replaces a lone surrogate with U+FFFD instead of throwing', () => {
		const command = encodeBatchCommand('m', { MESSAGE: 'a\uD800b' });
		expect(command).toBe('m?MESSAGE=a%EF%BF%BDb');
		expect(decodeOnServer(command).params).toEqual({ MESSAGE: 'a\uFFFDb' });
	});
});

describe('batchEncodingProblems / isBatchEncodable', () => {
	it('finds nothing in a normal message with attachment, keyboard and menu', () => {
		const params: IDataObject = {
			DIALOG_ID: 'chat7',
			MESSAGE: 'Report ready',
			SYSTEM: 'N',
			REPLY_ID: undefined,
			ATTACH: { ID: 1, COLOR_TOKEN: 'primary', BLOCKS: [{ MESSAGE: 'x' }, { DELIMITER: { SIZE: 200 } }] },
			KEYBOARD: { BUTTONS: [{ TEXT: 'Open', LINK: 'https://example.com/?a=1&b=2' }, { TYPE: 'NEWLINE' }] },
			MENU: [{ TEXT: 'Copy', ACTION: 'COPY', ACTION_VALUE: 'text' }],
		};
		expect(batchEncodingProblems(params)).toEqual([]);
		expect(isBatchEncodable(params)).toBe(true);
	});

	it('reports values that would vanish', () => {
		expect(
			batchEncodingProblems({
				KEYBOARD: { BUTTONS: [] },
				ATTACH: [{}],
				MENU: [null],
				N: Number.NaN,
			}),
		).toEqual([
			'KEYBOARD[BUTTONS]: array with no values is omitted',
			'KEYBOARD: object with no values is omitted',
			'ATTACH[0]: object with no values is omitted',
			'ATTACH: array with no values is omitted',
			'MENU: array with no values is omitted',
			'N: NaN is omitted',
		]);
	});

	it('reports keys PHP would rewrite, and shows the rewrite really happens', () => {
		const params: IDataObject = {
			'A.B': 'dot',
			' LEAD': 'space',
			'X[': 'open',
			NEST: { 'a]b': 'close', ' lead': 's', '': 'empty' },
		};
		expect(batchEncodingProblems(params)).toEqual([
			"\"A.B\": key contains ' ', '.', '[', ']' or NUL, which PHP rewrites",
			"\" LEAD\": key contains ' ', '.', '[', ']' or NUL, which PHP rewrites",
			"\"X[\": key contains ' ', '.', '[', ']' or NUL, which PHP rewrites",
			'NEST["a]b"]: key contains \']\' or NUL, which ends the key in PHP',
			'NEST[" lead"]: PHP drops the leading whitespace of a nested key',
			'NEST[""]: empty key becomes an appended index in PHP',
		]);
		const decoded = decodeOnServer(encodeBatchCommand('m', params)).params;
		expect(decoded).not.toHaveProperty(['A.B']);
		expect(decoded).toHaveProperty(['A_B'], 'dot');
		expect(decoded).not.toHaveProperty([' LEAD']);
	});

	it('reports too deep and cyclic values instead of recursing forever', () => {
		const cyclic: IDataObject = {};
		cyclic.SELF = cyclic;
		const problems = batchEncodingProblems({ C: cyclic });
		expect(problems[0]).toMatch(/^C(\[SELF\]){64}: nested deeper than 64 levels \(or cyclic\)$/);
	});
});

// The encoder's speed is measured by `npm run bench:encode` (bench/encodeSpeed.ts), which .ci/run
// runs on its own: a timed check beside jest's workers measures the machine's load, not the code.
