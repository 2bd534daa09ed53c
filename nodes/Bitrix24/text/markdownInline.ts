/**
 * Inline Markdown (emphasis, strikethrough, code spans, links, autolinks, escapes, entities)
 * → Bitrix24 BB-code, for the text of one paragraph, heading, list item or table cell.
 *
 * Emphasis follows the CommonMark delimiter algorithm (flanking rules, rule of 3), written after
 * markdown-it's linear "balance pairs" pass, so inputs like `*a **b* c**` nest the way every
 * Markdown renderer nests them and long inputs stay linear: no regex spans more than one token.
 */
import { encodeUrlForBbCode, escapeBbCodeText } from './bbCodeText';

export interface InlineContext {
	/** Link reference definitions of the document, keyed by normalised label. */
	references: Map<string, string>;
}

interface Token {
	content: string;
	/** Markup is emitted as is; text is escaped so that it cannot form BB tags. */
	isMarkup: boolean;
}

interface Delimiter {
	marker: '*' | '_' | '~';
	token: number;
	/** Length of the whole run, for the "rule of 3"; 0 for strikethrough. */
	length: number;
	open: boolean;
	close: boolean;
	/** Index of the matching closer, -1 while unmatched. */
	end: number;
}

interface CodeSpan {
	end: number;
	content: string;
}

const ASCII_PUNCTUATION = /^[!-/:-@[-`{-~]$/;
const WHITESPACE = /^\s$/u;
const PUNCTUATION = /^[\p{P}\p{S}]$/u;
const SPECIAL_CHARACTER = /[\\`*_~![<&h]/g;
const AUTOLINK = /<([a-zA-Z][a-zA-Z0-9+.-]{1,31}:[^\s<>]*)>/y;
const EMAIL_AUTOLINK =
	/<([a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*)>/y;
const BARE_URL = /https?:\/\/[^\s<>]+/y;
const ENTITY = /&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/y;
const SAFE_LINK = /^(?:https?:\/\/|ftp:\/\/|mailto:|tel:|callto:|bx:|\/)/i;

const NAMED_ENTITIES: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00A0',
	copy: '©',
	reg: '®',
	trade: '™',
	hellip: '…',
	mdash: '—',
	ndash: '–',
	laquo: '«',
	raquo: '»',
};

/** Normalises a link label the way CommonMark matches references: case- and space-insensitive. */
export function normalizeReferenceLabel(label: string): string {
	return label.trim().replace(/\s+/g, ' ').toLowerCase();
}

function characterBefore(source: string, index: number): string {
	if (index <= 0) return '\n';
	const code = source.charCodeAt(index - 1);
	if (code >= 0xdc00 && code <= 0xdfff && index >= 2) return source.slice(index - 2, index);
	return source[index - 1];
}

function characterAfter(source: string, index: number): string {
	if (index >= source.length) return '\n';
	return String.fromCodePoint(source.codePointAt(index) as number);
}

/** Finds every code span; a backtick run without a closer of the same length stays literal. */
function findCodeSpans(source: string): Map<number, CodeSpan> {
	const spans = new Map<number, CodeSpan>();
	// Once a search for a closer of length N fails, every later one fails too: remembering that
	// keeps a text full of unmatched backticks linear.
	const lengthsWithoutCloser = new Set<number>();
	let index = 0;
	while (index < source.length) {
		const character = source[index];
		if (character === '\\') {
			index += 2;
			continue;
		}
		if (character !== '`') {
			index++;
			continue;
		}
		let runEnd = index;
		while (source[runEnd] === '`') runEnd++;
		const runLength = runEnd - index;
		const closerStart = lengthsWithoutCloser.has(runLength) ? -1 : findBacktickRun(source, runEnd, runLength);
		if (closerStart === -1) {
			lengthsWithoutCloser.add(runLength);
			index = runEnd;
			continue;
		}
		let content = source.slice(runEnd, closerStart).replace(/\n/g, ' ');
		if (content.length > 1 && content.startsWith(' ') && content.endsWith(' ') && content.trim() !== '') {
			content = content.slice(1, -1);
		}
		spans.set(index, { end: closerStart + runLength, content });
		index = closerStart + runLength;
	}
	return spans;
}

function findBacktickRun(source: string, from: number, length: number): number {
	let index = source.indexOf('`', from);
	while (index !== -1) {
		let runEnd = index;
		while (source[runEnd] === '`') runEnd++;
		if (runEnd - index === length) return index;
		index = source.indexOf('`', runEnd);
	}
	return -1;
}

/** Pairs `[` with `]` in one pass (escaped brackets and code spans excluded). */
function matchBrackets(source: string, codeSpans: Map<number, CodeSpan>): Map<number, number> {
	const matches = new Map<number, number>();
	const openers: number[] = [];
	let index = 0;
	while (index < source.length) {
		const character = source[index];
		if (character === '\\') {
			index += 2;
			continue;
		}
		const span = codeSpans.get(index);
		if (span) {
			index = span.end;
			continue;
		}
		if (character === '[') openers.push(index);
		else if (character === ']' && openers.length > 0) matches.set(openers.pop() as number, index);
		index++;
	}
	return matches;
}

function unescapeLinkPart(text: string): string {
	return text
		.replace(/\\([!-/:-@[-`{-~])/g, '$1')
		.replace(/&(?:#[xX]([0-9a-fA-F]{1,6})|#([0-9]{1,7})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g, (whole, hex, decimal, name) =>
			decodeEntity(whole, hex, decimal, name),
		);
}

function decodeEntity(whole: string, hex?: string, decimal?: string, name?: string): string {
	if (hex !== undefined || decimal !== undefined) {
		const codePoint = hex !== undefined ? parseInt(hex, 16) : parseInt(decimal as string, 10);
		if (codePoint === 0 || codePoint > 0x10ffff) return '\uFFFD';
		return String.fromCodePoint(codePoint);
	}
	return NAMED_ENTITIES[(name as string).toLowerCase()] ?? whole;
}

interface ParsedLink {
	url: string;
	labelStart: number;
	labelEnd: number;
	end: number;
}

/** Parenthesis nesting allowed in a link destination (the CommonMark reference parser's limit). */
const MAX_DESTINATION_PARENTHESES = 32;

/**
 * Parses `(destination "title")` starting at the `(`; returns the URL and the index after `)`.
 * `unclosedTitleFrom` remembers, per quote character, a position after which that character
 * never occurs again, so a text full of `[a](x "` stays linear.
 */
function parseInlineDestination(
	source: string,
	open: number,
	unclosedTitleFrom: Map<string, number>,
): { url: string; end: number } | undefined {
	let index = open + 1;
	const skipSpace = () => {
		while (index < source.length && (source[index] === ' ' || source[index] === '\t' || source[index] === '\n'))
			index++;
	};
	skipSpace();
	let url = '';
	if (source[index] === '<') {
		const close = source.indexOf('>', index + 1);
		if (close === -1) return undefined;
		url = source.slice(index + 1, close);
		if (url.includes('\n') || url.includes('<')) return undefined;
		index = close + 1;
	} else {
		const start = index;
		let depth = 0;
		while (index < source.length) {
			const character = source[index];
			if (character === '\\' && index + 1 < source.length) {
				index += 2;
				continue;
			}
			if (character === ' ' || character === '\t' || character === '\n') break;
			if (character === '(' && ++depth > MAX_DESTINATION_PARENTHESES) return undefined;
			if (character === ')') {
				if (depth === 0) break;
				depth--;
			}
			index++;
		}
		if (depth !== 0) return undefined;
		url = source.slice(start, index);
	}
	const beforeTitle = index;
	skipSpace();
	const quote = source[index];
	if ((quote === '"' || quote === "'" || quote === '(') && index > beforeTitle) {
		const closing = quote === '(' ? ')' : quote;
		const knownUnclosed = unclosedTitleFrom.get(closing);
		if (knownUnclosed !== undefined && index >= knownUnclosed) return undefined;
		const titleStart = index;
		index++;
		while (index < source.length && source[index] !== closing) {
			if (source[index] === '\\') index++;
			index++;
		}
		if (index >= source.length) {
			unclosedTitleFrom.set(closing, titleStart);
			return undefined;
		}
		index++;
		skipSpace();
	}
	if (source[index] !== ')') return undefined;
	return { url: unescapeLinkPart(url), end: index + 1 };
}

function parseLink(
	source: string,
	open: number,
	brackets: Map<number, number>,
	references: Map<string, string>,
	unclosedTitleFrom: Map<string, number>,
): ParsedLink | undefined {
	const close = brackets.get(open);
	if (close === undefined) return undefined;
	const labelStart = open + 1;
	const after = close + 1;
	if (source[after] === '(') {
		const destination = parseInlineDestination(source, after, unclosedTitleFrom);
		if (destination) return { url: destination.url, labelStart, labelEnd: close, end: destination.end };
	}
	if (references.size === 0) return undefined;
	if (source[after] === '[') {
		const secondClose = brackets.get(after);
		if (secondClose !== undefined) {
			const secondLabel = source.slice(after + 1, secondClose);
			const label = secondLabel.trim() === '' ? source.slice(labelStart, close) : secondLabel;
			const url = references.get(normalizeReferenceLabel(label));
			if (url !== undefined) return { url, labelStart, labelEnd: close, end: secondClose + 1 };
			return undefined;
		}
	}
	const url = references.get(normalizeReferenceLabel(source.slice(labelStart, close)));
	if (url !== undefined) return { url, labelStart, labelEnd: close, end: after };
	return undefined;
}

/** GFM "extended autolink": trailing punctuation and an unbalanced `)` are not part of the URL. */
function trimBareUrl(url: string): string {
	let result = url;
	for (;;) {
		const last = result[result.length - 1];
		if ('?!.,:*_~\'"'.includes(last)) {
			result = result.slice(0, -1);
			continue;
		}
		if (last === ')') {
			const opened = result.split('(').length - 1;
			const closed = result.split(')').length - 1;
			if (closed > opened) {
				result = result.slice(0, -1);
				continue;
			}
		}
		return result;
	}
}

function isFlankingBoundary(character: string): boolean {
	return character === '\n' || WHITESPACE.test(character) || '*_~('.includes(character);
}

/** CommonMark's delimiter pairing (markdown-it `balance_pairs`), linear thanks to openersBottom. */
function balanceDelimiters(delimiters: Delimiter[]): void {
	const openersBottom: Record<string, number[]> = {};
	const jumps: number[] = [];
	let headerIndex = 0;
	let lastTokenIndex = -2;
	for (let closerIndex = 0; closerIndex < delimiters.length; closerIndex++) {
		const closer = delimiters[closerIndex];
		jumps.push(0);
		// Delimiters of one run cannot close each other: start looking before the run's first one.
		if (delimiters[headerIndex].marker !== closer.marker || lastTokenIndex !== closer.token - 1) {
			headerIndex = closerIndex;
		}
		lastTokenIndex = closer.token;
		if (!closer.close) continue;
		const bottoms = (openersBottom[closer.marker] ??= [-1, -1, -1, -1, -1, -1]);
		const bottomSlot = (closer.open ? 3 : 0) + (closer.length % 3);
		const minimumOpenerIndex = bottoms[bottomSlot];
		let openerIndex = headerIndex - jumps[headerIndex] - 1;
		let newMinimumOpenerIndex = openerIndex;
		for (; openerIndex > minimumOpenerIndex; openerIndex -= jumps[openerIndex] + 1) {
			const opener = delimiters[openerIndex];
			if (opener.marker !== closer.marker || !opener.open || opener.end >= 0) continue;
			const isOddMatch =
				(opener.close || closer.open) &&
				(opener.length + closer.length) % 3 === 0 &&
				(opener.length % 3 !== 0 || closer.length % 3 !== 0);
			if (isOddMatch) continue;
			const lastJump = openerIndex > 0 && !delimiters[openerIndex - 1].open ? jumps[openerIndex - 1] + 1 : 0;
			jumps[closerIndex] = closerIndex - openerIndex + lastJump;
			jumps[openerIndex] = lastJump;
			closer.open = false;
			opener.end = closerIndex;
			opener.close = false;
			newMinimumOpenerIndex = -1;
			lastTokenIndex = -2;
			break;
		}
		if (newMinimumOpenerIndex !== -1) bottoms[bottomSlot] = newMinimumOpenerIndex;
	}
}

/** Turns matched delimiter tokens into [b] [i] [s]; two adjacent matched pairs make bold. */
function applyDelimiters(delimiters: Delimiter[], tokens: Token[]): void {
	for (let index = delimiters.length - 1; index >= 0; index--) {
		const start = delimiters[index];
		if (start.end === -1) continue;
		const end = delimiters[start.end];
		if (start.marker === '~') {
			tokens[start.token] = { content: '[s]', isMarkup: true };
			tokens[end.token] = { content: '[/s]', isMarkup: true };
			continue;
		}
		const previous = delimiters[index - 1];
		const isStrong =
			previous !== undefined &&
			previous.end === start.end + 1 &&
			previous.marker === start.marker &&
			previous.token === start.token - 1 &&
			delimiters[start.end + 1].token === end.token + 1;
		const tag = isStrong ? 'b' : 'i';
		tokens[start.token] = { content: `[${tag}]`, isMarkup: true };
		tokens[end.token] = { content: `[/${tag}]`, isMarkup: true };
		if (isStrong) {
			tokens[previous.token] = { content: '', isMarkup: true };
			tokens[delimiters[start.end + 1].token] = { content: '', isMarkup: true };
			index--;
		}
	}
}

function renderTokens(tokens: Token[]): string {
	let output = '';
	let pendingText = '';
	for (const token of tokens) {
		if (token.isMarkup) {
			// Escape merged neighbouring text: "[" and "b]" from two tokens must not form "[b]".
			output += escapeBbCodeText(pendingText) + token.content;
			pendingText = '';
		} else {
			pendingText += token.content;
		}
	}
	return output + escapeBbCodeText(pendingText);
}

/** The state of one tokenising pass over a block's inline source. */
interface InlineScan {
	source: string;
	context: InlineContext;
	insideLink: boolean;
	index: number;
	tokens: Token[];
	delimiters: Delimiter[];
	codeSpans: Map<number, CodeSpan>;
	brackets: Map<number, number>;
	unclosedTitleFrom: Map<string, number>;
}

function pushText(scan: InlineScan, content: string): void {
	scan.tokens.push({ content, isMarkup: false });
}

function pushMarkup(scan: InlineScan, content: string): void {
	scan.tokens.push({ content, isMarkup: true });
}

/** A link's or image's BB-code; its label is rendered as inline Markdown of its own. */
function renderLink(scan: InlineScan, link: ParsedLink, isImage: boolean): string {
	const labelSource = scan.source.slice(link.labelStart, link.labelEnd);
	// An image inside a link label cannot become a second link: show its description as
	// text, without parsing it again (that also bounds the recursion to two levels).
	if (isImage && scan.insideLink) return escapeBbCodeText(labelSource);
	const label = renderInline(labelSource, scan.context, true);
	const url = link.url.trim();
	if (url === '' || !SAFE_LINK.test(url)) return label === '' ? escapeBbCodeText(url) : label;
	const encodedUrl = encodeUrlForBbCode(url);
	return `[url=${encodedUrl}]${label === '' ? escapeBbCodeText(url) : label}[/url]`;
}

/** `\` escapes ASCII punctuation; before a line break it is a hard break. */
function scanBackslash(scan: InlineScan): void {
	const next = scan.source[scan.index + 1];
	if (next === '\n') {
		pushText(scan, '\n');
		scan.index += 2;
	} else if (next !== undefined && ASCII_PUNCTUATION.test(next)) {
		pushText(scan, next);
		scan.index += 2;
	} else {
		pushText(scan, '\\');
		scan.index++;
	}
}

function scanBackticks(scan: InlineScan): void {
	const { source, index } = scan;
	const span = scan.codeSpans.get(index);
	if (span) {
		// Bitrix24's [code] is always a block, which would break the sentence: keep the backticks.
		pushText(scan, `\`${span.content}\``);
		scan.index = span.end;
		return;
	}
	let runEnd = index;
	while (source[runEnd] === '`') runEnd++;
	pushText(scan, source.slice(index, runEnd));
	scan.index = runEnd;
}

/** A run of `*`, `_` or `~`: text, and a delimiter that may later open or close emphasis. */
function scanDelimiterRun(scan: InlineScan, character: '*' | '_' | '~'): void {
	const { source, index } = scan;
	let runEnd = index;
	while (source[runEnd] === character) runEnd++;
	const runLength = runEnd - index;
	const before = characterBefore(source, index);
	const after = characterAfter(source, runEnd);
	const afterIsSpace = WHITESPACE.test(after);
	const beforeIsSpace = WHITESPACE.test(before);
	const afterIsPunctuation = PUNCTUATION.test(after);
	const beforeIsPunctuation = PUNCTUATION.test(before);
	const leftFlanking = !afterIsSpace && (!afterIsPunctuation || beforeIsSpace || beforeIsPunctuation);
	const rightFlanking = !beforeIsSpace && (!beforeIsPunctuation || afterIsSpace || afterIsPunctuation);
	let canOpen = leftFlanking;
	let canClose = rightFlanking;
	if (character === '_') {
		// snake_case_words must stay words: `_` inside a word neither opens nor closes.
		canOpen = leftFlanking && (!rightFlanking || beforeIsPunctuation);
		canClose = rightFlanking && (!leftFlanking || afterIsPunctuation);
	}
	if (character === '~') {
		// GFM strikethrough is `~~`; a single `~` ("~5 minutes") is text.
		if (runLength === 2 && (canOpen || canClose)) {
			scan.delimiters.push({
				marker: '~',
				token: scan.tokens.length,
				length: 0,
				open: canOpen,
				close: canClose,
				end: -1,
			});
		}
		pushText(scan, source.slice(index, runEnd));
	} else {
		for (let position = index; position < runEnd; position++) {
			if (canOpen || canClose) {
				scan.delimiters.push({
					marker: character,
					token: scan.tokens.length,
					length: runLength,
					open: canOpen,
					close: canClose,
					end: -1,
				});
			}
			pushText(scan, character);
		}
	}
	scan.index = runEnd;
}

/** `[label](url)`, `[label][ref]` and, after `!`, images; otherwise the bracket is text. */
function scanLinkOrImage(scan: InlineScan, isImage: boolean): void {
	const bracketAt = isImage ? scan.index + 1 : scan.index;
	const allowed = isImage ? scan.source[bracketAt] === '[' : !scan.insideLink;
	if (allowed) {
		const link = parseLink(scan.source, bracketAt, scan.brackets, scan.context.references, scan.unclosedTitleFrom);
		if (link) {
			pushMarkup(scan, renderLink(scan, link, isImage));
			scan.index = link.end;
			return;
		}
	}
	pushText(scan, scan.source[scan.index]);
	scan.index++;
}

/** `<https://…>` and `<name@example.com>`. */
function scanAngleAutolink(scan: InlineScan): void {
	const { source, index } = scan;
	AUTOLINK.lastIndex = index;
	const autolink = AUTOLINK.exec(source);
	if (autolink && !scan.insideLink) {
		const url = autolink[1];
		pushMarkup(
			scan,
			SAFE_LINK.test(url) ? `[url=${encodeUrlForBbCode(url)}]${escapeBbCodeText(url)}[/url]` : escapeBbCodeText(url),
		);
		scan.index += autolink[0].length;
		return;
	}
	EMAIL_AUTOLINK.lastIndex = index;
	const email = EMAIL_AUTOLINK.exec(source);
	if (email && !scan.insideLink) {
		pushMarkup(scan, `[url=mailto:${email[1]}]${escapeBbCodeText(email[1])}[/url]`);
		scan.index += email[0].length;
		return;
	}
	pushText(scan, '<');
	scan.index++;
}

function scanEntity(scan: InlineScan): void {
	ENTITY.lastIndex = scan.index;
	const entity = ENTITY.exec(scan.source);
	if (entity) {
		pushText(scan, decodeEntity(entity[0], entity[1], entity[2], entity[3]));
		scan.index += entity[0].length;
		return;
	}
	pushText(scan, '&');
	scan.index++;
}

function scanBareUrl(scan: InlineScan): void {
	const { source, index } = scan;
	if (!scan.insideLink && isFlankingBoundary(characterBefore(source, index))) {
		BARE_URL.lastIndex = index;
		const bare = BARE_URL.exec(source);
		if (bare) {
			const url = trimBareUrl(bare[0]);
			if (/^https?:\/\/[^/?#]/.test(url)) {
				// Left as plain text: Bitrix24 makes bare URLs clickable itself (and previews them).
				pushMarkup(scan, encodeUrlForBbCode(url));
				scan.index += url.length;
				return;
			}
		}
	}
	pushText(scan, 'h');
	scan.index++;
}

/** Plain text up to the next character that could start Markdown. */
function scanPlainText(scan: InlineScan): void {
	SPECIAL_CHARACTER.lastIndex = scan.index + 1;
	const next = SPECIAL_CHARACTER.exec(scan.source);
	const end = next ? next.index : scan.source.length;
	pushText(scan, scan.source.slice(scan.index, end));
	scan.index = end;
}

/** Tokenising: splits the source into text and markup tokens, noting emphasis delimiters. */
function tokenise(scan: InlineScan): void {
	while (scan.index < scan.source.length) {
		const character = scan.source[scan.index];
		switch (character) {
			case '\\':
				scanBackslash(scan);
				break;
			case '`':
				scanBackticks(scan);
				break;
			case '*':
			case '_':
			case '~':
				scanDelimiterRun(scan, character);
				break;
			case '!':
				scanLinkOrImage(scan, true);
				break;
			case '[':
				scanLinkOrImage(scan, false);
				break;
			case '<':
				scanAngleAutolink(scan);
				break;
			case '&':
				scanEntity(scan);
				break;
			case 'h':
				scanBareUrl(scan);
				break;
			default:
				scanPlainText(scan);
		}
	}
}

/** Converts the inline Markdown of one block to BB-code. `insideLink` forbids nested links. */
export function renderInline(source: string, context: InlineContext, insideLink = false): string {
	const codeSpans = findCodeSpans(source);
	const scan: InlineScan = {
		source,
		context,
		insideLink,
		index: 0,
		tokens: [],
		delimiters: [],
		codeSpans,
		brackets: matchBrackets(source, codeSpans),
		unclosedTitleFrom: new Map<string, number>(),
	};
	tokenise(scan);
	// Delimiter matching: pairs openers with closers, then turns the pairs into [b], [i] and [s].
	balanceDelimiters(scan.delimiters);
	applyDelimiters(scan.delimiters, scan.tokens);
	return renderTokens(scan.tokens);
}
