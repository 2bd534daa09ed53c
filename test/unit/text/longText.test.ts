import fc from 'fast-check';

import { LongTextError, MAX_MESSAGE_CHARACTERS, splitLongText } from '../../../nodes/Bitrix24/text/longText';

const length = (text: string) => Array.from(text).length;

/** Tags left open at the end of a part (only [code]'s content is literal). */
function openTags(part: string): string[] {
	const stack: string[] = [];
	for (const match of part.matchAll(/\[(\/?)(b|i|u|s|code|quote|url|user|color)(?:=[^\]]*)?\]/gi)) {
		const name = match[2].toLowerCase();
		if (stack.includes('code') && name !== 'code') continue;
		if (match[1] === '') stack.push(name);
		else if (stack.lastIndexOf(name) >= 0) stack.splice(stack.lastIndexOf(name), 1);
	}
	return stack;
}

/**
 * The most room the tags left open at any point take, counting their reopening and closing in a
 * part: where that leaves no room for one character, no split can exist and a refusal is right.
 */
function deepestTagOverhead(text: string): number {
	let deepest = 0;
	for (const match of text.matchAll(/\[[^\]]*\]/g)) {
		const open = openTags(text.slice(0, (match.index ?? 0) + match[0].length));
		deepest = Math.max(
			deepest,
			open.reduce((sum, name) => sum + 2 * name.length + 5, 0),
		);
	}
	return deepest;
}

/** The text a reader sees: tags removed, whitespace runs as one space, trimmed. */
function readable(text: string): string {
	return text
		.replace(/\[\/?(?:b|i|code|quote)\]/g, '')
		.replace(/\s+/g, ' ')
		.trim();
}

/**
 * Checks that the parts, read in order, are the text again, modulo the documented cut rules: the
 * whitespace a cut replaces is dropped (a cut between two characters drops nothing), and the tags
 * closed at a cut and reopened after it are added.
 */
function expectSameTextAcrossCuts(text: string, parts: string[]): void {
	const whole = readable(text);
	let at = 0;
	parts.forEach((part, index) => {
		if (index > 0 && whole[at] === ' ') at++;
		const piece = readable(part);
		expect({ index, piece: whole.slice(at, at + piece.length) }).toEqual({ index, piece });
		at += piece.length;
	});
	expect(at).toBe(whole.length);
}

describe('splitLongText', () => {
	it('splits a text longer than one Bitrix24 message into parts that fit, losing nothing', () => {
		// 10,000 words of 4 letters: 49,999 characters; 4,000 words and their spaces are 19,999.
		const text = Array(10_000).fill('abcd').join(' ');
		const parts = splitLongText(text);
		expect(parts.map((part) => part.split(' ').length)).toEqual([4_000, 4_000, 2_000]);
		for (const part of parts) expect(length(part)).toBeLessThanOrEqual(MAX_MESSAGE_CHARACTERS);
		expect(parts.join(' ')).toBe(text);
	});

	it('leaves a text that fits alone, unchanged', () => {
		expect(splitLongText('[b]short[/b]  ')).toEqual(['[b]short[/b]  ']);
		expect(splitLongText('x'.repeat(MAX_MESSAGE_CHARACTERS))).toHaveLength(1);
	});

	it('cuts at a paragraph break before a line break, and at a line break before a space', () => {
		const text = 'aaaa bbbb\ncccc\n\ndddd eeee';
		expect(splitLongText(text, 16)).toEqual(['aaaa bbbb\ncccc', 'dddd eeee']);
		expect(splitLongText('aaaa bbbb\ncccc dddd', 12)).toEqual(['aaaa bbbb', 'cccc dddd']);
		expect(splitLongText('aaaa bbbb cccc', 10)).toEqual(['aaaa bbbb', 'cccc']);
	});

	it('cuts a word longer than a whole message between characters, never inside a surrogate pair', () => {
		expect(splitLongText('😀'.repeat(25), 10)).toEqual(['😀'.repeat(10), '😀'.repeat(10), '😀'.repeat(5)]);
	});

	it('closes a block open at the cut and reopens it in the next part', () => {
		expect(splitLongText('[b]one two three[/b]', 14)).toEqual(['[b]one two[/b]', '[b]three[/b]']);
		const code = '[code]\nline one\n    indented two\n[/code]';
		expect(splitLongText(code, 30)).toEqual(['[code]\nline one[/code]', '[code]    indented two\n[/code]']);
	});

	it('reopens a tag with its value, e.g. a color', () => {
		const parts = splitLongText('[color=#ff0000]red words here[/color]', 28);
		expect(parts[0]).toBe('[color=#ff0000]red[/color]');
		expect(parts[1].startsWith('[color=#ff0000]')).toBe(true);
	});

	it('never cuts inside a tag, and avoids cutting inside a link', () => {
		const link = '[url=https://example.com/a/long/path]the link text[/url]';
		const parts = splitLongText(`intro words ${link} outro`, link.length + 2);
		expect(parts).toEqual(['intro words', link, 'outro']);
	});

	it('treats tags inside [code] as text, as Bitrix24 renders them', () => {
		const parts = splitLongText('[code][b] x y z[/code]', 16);
		expect(parts).toEqual(['[code][b][/code]', '[code]x y[/code]', '[code]z[/code]']);
		for (const part of parts) expect(openTags(part)).toEqual([]);
		expect(parts.join(' ')).not.toContain('[/b]');
	});

	it('refuses a text that cannot be split (a tag longer than a message)', () => {
		expect(() => splitLongText(`[url=https://example.com/${'x'.repeat(50)}]a[/url] b`, 30)).toThrow(LongTextError);
	});

	it('refuses a text whose open tags alone fill a message (found by the property below)', () => {
		const text = '[quote][quote][b][b]a[/b][b]aaaaaa[/b][b]';
		expect(() => splitLongText(text, 40)).toThrow(LongTextError);
		expect(deepestTagOverhead(text)).toBeGreaterThanOrEqual(40);
	});

	it('property: every part fits, no tag is cut or left open, and the words come back in order', () => {
		const word = fc
			.array(fc.constantFrom('a', 'b', '😀'), { minLength: 1, maxLength: 12 })
			.map((chars) => chars.join(''));
		const piece = fc.oneof(
			word,
			word.map((w) => `[b]${w}[/b]`),
			word.map((w) => `[i]${w} ${w}[/i]`),
			fc.constantFrom(' ', ' ', '\n', '\n\n', '[b]', '[/b]', '[code]', '[/code]', '[quote]', '[/quote]'),
		);
		fc.assert(
			fc.property(fc.array(piece, { maxLength: 60 }), fc.integer({ min: 40, max: 120 }), (pieces, max) => {
				const text = pieces.join('');
				let parts: string[];
				try {
					parts = splitLongText(text, max);
				} catch (error) {
					// Refused only where the open tags alone leave no room in a message.
					expect(error).toBeInstanceOf(LongTextError);
					expect(deepestTagOverhead(text) + 1).toBeGreaterThan(max);
					return;
				}
				const words = (value: string) =>
					value
						.replace(/\[\/?(?:b|i|code|quote)\]/g, ' ')
						.split(/\s+/)
						.filter(Boolean);
				if (length(text.trim()) <= max) {
					expect(parts).toEqual([text]);
					return;
				}
				// Too long: split, every part fits, and the parts read as the text did.
				expect(parts.length).toBeGreaterThanOrEqual(Math.ceil(length(readable(text)) / (max + 1)));
				for (const part of parts) expect(length(part)).toBeLessThanOrEqual(max);
				expectSameTextAcrossCuts(text, parts);
				expect(words(parts.join(' ')).join('')).toBe(words(text).join(''));
				// Balanced input gives balanced parts: nothing left open across two messages.
				if (openTags(text).length === 0) for (const part of parts) expect(openTags(part)).toEqual([]);
			}),
			{ numRuns: 300 },
		);
	});
});
