/**
 * Splits a BB-code message that is longer than Bitrix24 keeps into parts that each fit.
 * Bitrix24 cuts MESSAGE at 20,000 characters without a word, so a long text is sent as several
 * messages instead. Rules:
 * - cut at a paragraph break if one fits, else at a line break, else between words, else
 *   between two characters (a single word longer than a whole message);
 * - never inside a tag such as `[url=https://example.com]`;
 * - avoid cutting inside a link or mention (`[url]…[/url]`, `[user=1]…[/user]`), which would
 *   turn it into two;
 * - a block still open at the cut (`[code]`, `[b]`, `[quote]`…) is closed at the end of the
 *   part and opened again, with the same tag, at the start of the next one.
 * Lengths are counted in Unicode code points, as Bitrix24 (PHP mb_* functions) counts them.
 */

/** Bitrix24 keeps at most this many characters of MESSAGE. */
export const MAX_MESSAGE_CHARACTERS = 20_000;

export class LongTextError extends Error {}

/** Tags that enclose text and must be closed and reopened across a cut. */
const PAIRED_TAGS = new Set([
	'b',
	'i',
	'u',
	's',
	'url',
	'user',
	'chat',
	'code',
	'quote',
	'color',
	'size',
	'font',
	'send',
	'put',
	'call',
	'context',
	'list',
	'img',
	'left',
	'right',
	'center',
	'justify',
]);

/** Paired tags whose content is one clickable thing: a cut inside makes two of them. */
const ATOMIC_TAGS = new Set(['url', 'user', 'chat', 'send', 'put', 'call', 'context', 'img']);

/** Tags that stand alone. */
const VOID_TAGS = new Set(['br', 'icon', '*', 'hr']);

const TAG = /\[(\/?)([a-z*]+)(?:=[^\]\r\n]*)?\]/giy;

type Unit =
	| { kind: 'char'; text: string }
	| { kind: 'open'; name: string; text: string }
	| { kind: 'close'; name: string; text: string }
	| { kind: 'void'; text: string };

/** Splits the text into code points and whole tags. Inside [code] only [/code] is a tag, as Bitrix24 renders it. */
function toUnits(text: string): Unit[] {
	const units: Unit[] = [];
	let inCode = false;
	let index = 0;
	while (index < text.length) {
		if (text[index] === '[') {
			TAG.lastIndex = index;
			const match = TAG.exec(text);
			if (match) {
				const [raw, slash, rawName] = match;
				const name = rawName.toLowerCase();
				const isTag = inCode
					? slash === '/' && name === 'code'
					: PAIRED_TAGS.has(name) || (VOID_TAGS.has(name) && slash === '');
				if (!isTag || VOID_TAGS.has(name)) {
					// Kept whole even when it is only text (an unknown tag, or any tag inside [code]):
					// a cut must never leave "[/b" at the end of one message and "]" in the next.
					units.push({ kind: 'void', text: raw });
				} else {
					units.push({ kind: slash ? 'close' : 'open', name, text: raw });
					if (name === 'code') inCode = slash === '';
				}
				index += raw.length;
				continue;
			}
		}
		const codePoint = String.fromCodePoint(text.codePointAt(index) as number);
		units.push({ kind: 'char', text: codePoint });
		index += codePoint.length;
	}
	return units;
}

function lengthOf(text: string): number {
	return [...text].length;
}

interface OpenTag {
	name: string;
	text: string;
}

function closingOf(stack: OpenTag[]): string {
	return stack
		.slice()
		.reverse()
		.map((tag) => `[/${tag.name}]`)
		.join('');
}

function applyUnit(stack: OpenTag[], unit: Unit): OpenTag[] {
	if (unit.kind === 'open') return [...stack, { name: unit.name, text: unit.text }];
	if (unit.kind === 'close') {
		const at = stack.map((tag) => tag.name).lastIndexOf(unit.name);
		// A closing tag without its opening one is left as it is and changes nothing.
		return at < 0 ? stack : stack.slice(0, at);
	}
	return stack;
}

/** Preference order of cut points: earlier kinds win whenever one fits. */
const CUT_KINDS = ['paragraph', 'line', 'word', 'character', 'insideLinkWord', 'insideLinkCharacter'] as const;
type CutKind = (typeof CUT_KINDS)[number];

interface Cut {
	/** The part ends before this unit. */
	end: number;
	/** The next part starts at this unit (after the whitespace the cut replaces). */
	next: number;
	/** Tags open at the cut. */
	stack: OpenTag[];
}

function isWhitespace(unit: Unit | undefined): boolean {
	return unit?.kind === 'char' && /^\s$/u.test(unit.text);
}

/**
 * The message as parts of at most `maxCharacters` each (after Bitrix24's trim), in order.
 * A text that fits is returned as a single part, unchanged.
 */
export function splitLongText(text: string, maxCharacters = MAX_MESSAGE_CHARACTERS): string[] {
	if (lengthOf(text.trim()) <= maxCharacters) return [text];
	const units = toUnits(text);
	const lengths = units.map((unit) => lengthOf(unit.text));
	const parts: string[] = [];
	let start = 0;
	let startStack: OpenTag[] = [];

	while (start < units.length) {
		const prefix = startStack.map((tag) => tag.text).join('');
		const budget = maxCharacters - lengthOf(prefix);
		const best: Partial<Record<CutKind, Cut>> = {};
		let stack = startStack;
		let used = 0;
		let end = start;
		let fitsToTheEnd = false;
		for (;;) {
			if (end === units.length) {
				fitsToTheEnd = true;
				break;
			}
			// A cut before unit `end`: the part is units[start, end) plus closing tags.
			const insideLink = stack.some((tag) => ATOMIC_TAGS.has(tag.name));
			if (end > start && used + lengthOf(closingOf(stack)) <= budget) {
				if (isWhitespace(units[end]) && !isWhitespace(units[end - 1])) {
					// The next part starts after the last line break of the run, so the indentation of
					// its first line (in a [code] block) survives; spaces alone are dropped.
					let next = end;
					let newlines = 0;
					let afterLastNewline = end;
					while (isWhitespace(units[next])) {
						if (units[next].text === '\n') {
							newlines++;
							afterLastNewline = next + 1;
						}
						next++;
					}
					if (newlines > 0) next = afterLastNewline;
					const kind: CutKind = insideLink
						? 'insideLinkWord'
						: newlines >= 2
							? 'paragraph'
							: newlines === 1
								? 'line'
								: 'word';
					best[kind] = { end, next, stack };
				} else {
					best[insideLink ? 'insideLinkCharacter' : 'character'] = { end, next: end, stack };
				}
			}
			if (used + lengths[end] > budget) break;
			used += lengths[end];
			stack = applyUnit(stack, units[end]);
			end++;
		}

		if (fitsToTheEnd) {
			pushPart(parts, prefix, units.slice(start), '');
			break;
		}
		const cut = CUT_KINDS.map((kind) => best[kind]).find((candidate) => candidate !== undefined);
		if (!cut) {
			throw new LongTextError(
				`cannot be split into messages of at most ${maxCharacters} characters: a BB-code tag, or the tags left open around it, is too long`,
			);
		}
		pushPart(parts, prefix, units.slice(start, cut.end), closingOf(cut.stack));
		start = cut.next;
		startStack = cut.stack;
	}
	return parts;
}

/** Adds a part unless it holds nothing but tags and whitespace (its tags carry over to the next). */
function pushPart(parts: string[], prefix: string, body: Unit[], closing: string): void {
	if (!body.some((unit) => unit.kind !== 'open' && unit.kind !== 'close' && !isWhitespace(unit))) return;
	parts.push(`${prefix}${body.map((unit) => unit.text).join('')}${closing}`.trim());
}
