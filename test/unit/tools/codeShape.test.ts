import { circles, codeShape, isAgainstLayers } from '../../../scripts/codeShape';

// The shape check that CI runs (`npm run code:shape -- --check`) must be able to fail: each rule is
// shown catching what it exists to catch.
describe('code shape', () => {
	it('finds an import circle, and only a circle', () => {
		const graph = new Map([
			['a', new Set(['b'])],
			['b', new Set(['c'])],
			['c', new Set(['a'])],
			['d', new Set(['a'])],
		]);
		expect(circles(graph)).toEqual([['a', 'b', 'c']]);
		expect(
			circles(
				new Map([
					['a', new Set(['b'])],
					['b', new Set<string>()],
				]),
			),
		).toEqual([]);
	});

	it('allows imports down the layers and flags them up, sideways and out of every layer', () => {
		expect(isAgainstLayers('nodes/Bitrix24/message', 'nodes/Bitrix24/transport')).toBe(false);
		expect(isAgainstLayers('nodes/Bitrix24/message', 'nodes/Bitrix24/rich')).toBe(false);
		expect(isAgainstLayers('nodes/Bitrix24/transport', 'nodes/Bitrix24/runner')).toBe(true);
		expect(isAgainstLayers('nodes/Bitrix24/shared', 'nodes/Bitrix24/transport')).toBe(true);
		expect(isAgainstLayers('nodes/Bitrix24/notification', 'nodes/Bitrix24/message')).toBe(true);
		expect(isAgainstLayers('nodes/Bitrix24BotTrigger', 'nodes/Bitrix24Trigger')).toBe(true);
		expect(isAgainstLayers('credentials', 'nodes/Bitrix24/transport')).toBe(true);
		expect(isAgainstLayers('nodes/Bitrix24/somethingNew', 'nodes/Bitrix24/shared')).toBe(true);
	});

	it('reads the real tree: every node file is counted', () => {
		const shape = codeShape();
		const folders = shape.linesPerFolder.map(([folder]) => folder);
		expect(folders).toEqual(
			expect.arrayContaining(['nodes/Bitrix24/transport', 'nodes/Bitrix24/message', 'credentials']),
		);
		expect(shape.totalLines).toBe(shape.linesPerFolder.reduce((sum, [, lines]) => sum + lines, 0));
		expect(shape.itemLoops.length).toBeGreaterThan(0);
	});
});
