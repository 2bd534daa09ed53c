/**
 * The fake portal decodes form bodies and batch sub-queries the way PHP's parse_str does
 * (docs/bitrix24-behaviour.md). Nothing here talks HTTP.
 */
import { parsePhpQuery, parsePhpQueryToMap, type PhpArrayMap } from './fakePortal/phpQuery';

describe('fake Bitrix24 portal: parsePhpQuery (PHP parse_str)', () => {
	it.each<[string, Record<string, unknown>]>([
		['a=1&b=2', { a: '1', b: '2' }],
		['a=x%26y%3Dz&b=%5B%5D', { a: 'x&y=z', b: '[]' }],
		['a=1+2%2B3&c=%zz%4', { a: '1 2+3', c: '%zz%4' }],
		['m=line1%0Aline2%0D%0A', { m: 'line1\nline2\r\n' }],
		['t=%D0%9F%D1%80%D0%B8%D0%B2%D0%B5%D1%82+%F0%9F%98%80', { t: 'Привет 😀' }],
		['raw=Привет', { raw: 'Привет' }],
		['a=b=c&flag&&=lost&%20lead=1', { a: 'b=c', flag: '', lead: '1' }],
		['a.b c=1&x[y.z]=2', { a_b_c: '1', x: { 'y.z': '2' } }],
		[
			'ATTACH[0][MESSAGE]=x&ATTACH[1][LINK][LINK]=https%3A%2F%2Fe.x',
			{ ATTACH: [{ MESSAGE: 'x' }, { LINK: { LINK: 'https://e.x' } }] },
		],
		[
			'KEYBOARD[BUTTONS][0][TEXT]=Go&KEYBOARD[BUTTONS][0][LINK]=%2Fa',
			{ KEYBOARD: { BUTTONS: [{ TEXT: 'Go', LINK: '/a' }] } },
		],
		['a[]=1&a[]=2&a[5]=x&a[]=y', { a: { 0: '1', 1: '2', 5: 'x', 6: 'y' } }],
		['a[ ]=1&a[ ]=2&a[ k]=3', { a: { 0: '1', 1: '2', ' k': '3' } }],
		['n[-5]=a&n[]=b', { n: { '-5': 'a', '-4': 'b' } }],
		['k[01]=a&k[1]=b&k[-0]=c', { k: { '01': 'a', 1: 'b', '-0': 'c' } }],
		['a[b.c=1&d[e][f=2&g[h]tail=3', { a_b_c: '1', d: { e: '2' }, g: { h: '3' } }],
		['a%5Bb%5D%5Bc%5D=1', { a: { b: { c: '1' } } }],
		['a=1&a[x]=2&b[x]=1&b=2', { a: { x: '2' }, b: '2' }],
		['nul%00cut=1&v=a%00b', { nul: '1', v: 'a\u0000b' }],
		['[x]=1&=2&++=3', {}],
		['..Host-x=1&__Host-y=2', { '__Host-y': '2' }],
	])('%s', (query, expected) => {
		expect(parsePhpQuery(query)).toEqual(expected);
	});

	it('keeps PHP key order, integer keys included, in the ordered form', () => {
		const array = parsePhpQueryToMap('a[x]=1&a[0]=2&a[y]=3').get('a') as PhpArrayMap;
		expect([...array.keys()]).toEqual(['x', '0', 'y']);
	});

	it('a later scalar keeps the position of the array it overwrites', () => {
		const root = parsePhpQueryToMap('a[x]=1&b=2&a=3');
		expect([...root.entries()]).toEqual([
			['a', '3'],
			['b', '2'],
		]);
	});

	it('drops the whole variable past 64 nesting levels, like max_input_nesting_level', () => {
		const deep = 'd' + '[x]'.repeat(65) + '=1';
		expect(parsePhpQuery(`d[keep]=0&${deep}&e=1`)).toEqual({ e: '1' });
		expect(parsePhpQuery('d' + '[x]'.repeat(64) + '=1')).toHaveProperty('d.x.x.x');
	});

	it('stores "__proto__" as a plain key, never as a prototype', () => {
		const parsed = parsePhpQuery('__proto__[polluted]=1');
		expect(Object.keys(parsed)).toEqual(['__proto__']);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
	});
});
