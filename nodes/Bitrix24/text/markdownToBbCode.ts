/**
 * Markdown written by people and AI agents → the BB-code Bitrix24 chat renders.
 *
 * Bitrix24 chat does not render Markdown (docs: "Text Formatting (BB Codes)", "At this time,
 * Markdown is not supported"). What it does render, and how each Markdown construct maps:
 * - **bold** / __bold__ → [b], *italic* / _italic_ → [i], ~~strike~~ → [s]
 * - [text](url), <url>, reference links → [url=…]…[/url]; bare URLs stay text (Bitrix24 links them)
 * - fenced and indented code → [code]…[/code], content untouched
 * - `code span` → kept between backticks by default: Bitrix24's [code] is always a block
 * - # heading → [b]heading[/b] on its own line (Bitrix24 has no heading tag)
 * - > quote → lines starting with ">>" (the chat's quote syntax); nested quotes are flattened
 * - lists → "• item" / "1. item" lines (no list tag in chat); nesting by tabs, which the chat
 *   shows as indentation; task lists → ☐ / ☑
 * - tables → one line per row, cells joined by " | ", header row bold
 * - --- → a horizontal line of box-drawing characters
 * - line breaks are kept as "\n"; text that looks like a BB tag is neutralised (see bbCodeText)
 */
import { escapeCodeBlockContent, ZERO_WIDTH_SPACE } from './bbCodeText';
import { normalizeReferenceLabel, renderInline, type InlineContext } from './markdownInline';

const HORIZONTAL_RULE = '────────────────────';
const BULLETS = ['•', '◦', '▪'];

const FENCE_OPEN = /^([ \t]*)(`{3,}|~{3,})(.*)$/;
const ATX_HEADING = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const SETEXT_UNDERLINE = /^ {0,3}(?:=+|-+)[ \t]*$/;
const BLOCKQUOTE = /^ {0,3}>/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const REFERENCE_DEFINITION =
	/^ {0,3}\[([^\]]{1,999})\]:[ \t]*<?([^\s>]+)>?(?:[ \t]+(?:"[^"]*"|'[^']*'|\([^)]*\)))?[ \t]*$/;
const TABLE_DELIMITER_CELL = /^:?-+:?$/;

interface ListState {
	/** Indentation of the markers of the open items, outermost first. */
	markerIndents: number[];
}

function indentWidth(line: string): number {
	let width = 0;
	for (const character of line) {
		if (character === ' ') width++;
		else if (character === '\t') width += 4 - (width % 4);
		else break;
	}
	return width;
}

function isBlank(line: string): boolean {
	return line.trim() === '';
}

function isThematicBreak(line: string): boolean {
	if (indentWidth(line) > 3) return false;
	const compact = line.replace(/[ \t]/g, '');
	return compact.length >= 3 && /^(?:\*+|-+|_+)$/.test(compact);
}

function headingText(line: string): string | undefined {
	const match = ATX_HEADING.exec(line);
	if (!match) return undefined;
	let text = (match[2] ?? '').trim();
	// Optional closing sequence: "## Title ##".
	let end = text.length;
	while (end > 0 && text[end - 1] === '#') end--;
	if (end === 0) text = '';
	else if (end < text.length && (text[end - 1] === ' ' || text[end - 1] === '\t')) text = text.slice(0, end).trimEnd();
	return text;
}

function fenceOpening(line: string): { indent: number; marker: string } | undefined {
	const match = FENCE_OPEN.exec(line);
	if (!match) return undefined;
	// A backtick fence's info string cannot contain backticks (that is inline code instead).
	if (match[2][0] === '`' && match[3].includes('`')) return undefined;
	return { indent: indentWidth(match[1]), marker: match[2] };
}

function isFenceClosing(line: string, marker: string): boolean {
	const trimmed = line.trim();
	if (trimmed.length < marker.length) return false;
	for (const character of trimmed) if (character !== marker[0]) return false;
	return true;
}

function splitTableCells(line: string): string[] {
	let text = line.trim();
	if (text.startsWith('|')) text = text.slice(1);
	if (text.endsWith('|') && !text.endsWith('\\|')) text = text.slice(0, -1);
	const cells: string[] = [];
	let cell = '';
	let inCode = false;
	for (let index = 0; index < text.length; index++) {
		const character = text[index];
		if (character === '\\' && text[index + 1] === '|') {
			cell += '|';
			index++;
		} else if (character === '`') {
			inCode = !inCode;
			cell += character;
		} else if (character === '|' && !inCode) {
			cells.push(cell.trim());
			cell = '';
		} else {
			cell += character;
		}
	}
	cells.push(cell.trim());
	return cells;
}

function isTableStart(lines: string[], index: number): boolean {
	const header = lines[index];
	const delimiter = lines[index + 1];
	if (delimiter === undefined || !header.includes('|') || !delimiter.includes('-')) return false;
	if (indentWidth(header) > 3 || indentWidth(delimiter) > 3) return false;
	const delimiterCells = splitTableCells(delimiter);
	if (!delimiterCells.every((cell) => TABLE_DELIMITER_CELL.test(cell))) return false;
	return splitTableCells(header).length === delimiterCells.length;
}

/** Everything that ends a paragraph when it starts a line. */
function startsBlock(lines: string[], index: number): boolean {
	const line = lines[index];
	return (
		isBlank(line) ||
		fenceOpening(line) !== undefined ||
		ATX_HEADING.test(line) ||
		BLOCKQUOTE.test(line) ||
		isThematicBreak(line) ||
		LIST_ITEM.test(line) ||
		isTableStart(lines, index)
	);
}

/** Removes link reference definitions (outside code fences) and returns them as a map. */
function extractReferenceDefinitions(lines: string[]): { lines: string[]; references: Map<string, string> } {
	const references = new Map<string, string>();
	const kept: string[] = [];
	let openFence: string | undefined;
	for (const line of lines) {
		if (openFence !== undefined) {
			if (isFenceClosing(line, openFence)) openFence = undefined;
			kept.push(line);
			continue;
		}
		const fence = fenceOpening(line);
		if (fence) {
			openFence = fence.marker;
			kept.push(line);
			continue;
		}
		const definition = REFERENCE_DEFINITION.exec(line);
		if (definition) {
			const label = normalizeReferenceLabel(definition[1]);
			// The first definition of a label wins, as in CommonMark.
			if (label !== '' && !references.has(label)) references.set(label, definition[2]);
			continue;
		}
		kept.push(line);
	}
	return { lines: kept, references };
}

/** A rendered line that starts with ">>" would become a chat quote: keep it literal. */
function protectQuoteStart(line: string): string {
	return /^[ \t]*>>/.test(line) ? ZERO_WIDTH_SPACE + line : line;
}

function renderInlineLines(text: string, context: InlineContext): string[] {
	return renderInline(text, context).split('\n').map(protectQuoteStart);
}

/** Joins paragraph lines the way Markdown does, keeping each line break as a chat line break. */
function paragraphSource(lines: string[]): string {
	return lines
		.map((line) => {
			const withoutIndent = line.trimStart();
			// Two trailing spaces mean a hard break; in chat every break is kept anyway.
			return withoutIndent.replace(/[ \t]+$/, '');
		})
		.join('\n');
}

/** The lines of a block-level pass and the next one to read; each reader advances `index`. */
interface LineCursor {
	lines: string[];
	index: number;
}

function hasLine(cursor: LineCursor): boolean {
	return cursor.index < cursor.lines.length;
}

/** Lines up to the next line that starts another block. */
function takeUntilBlockStart(cursor: LineCursor): string[] {
	const taken: string[] = [];
	while (hasLine(cursor) && !startsBlock(cursor.lines, cursor.index)) {
		taken.push(cursor.lines[cursor.index]);
		cursor.index++;
	}
	return taken;
}

function readFencedCode(cursor: LineCursor, fence: { indent: number; marker: string }): string {
	const content: string[] = [];
	cursor.index++;
	while (hasLine(cursor) && !isFenceClosing(cursor.lines[cursor.index], fence.marker)) {
		content.push(removeIndent(cursor.lines[cursor.index], fence.indent));
		cursor.index++;
	}
	cursor.index++; // the closing fence (an unclosed fence runs to the end, as in CommonMark)
	return `[code]${escapeCodeBlockContent(content.join('\n'))}[/code]`;
}

function readIndentedCode(cursor: LineCursor): string {
	const content: string[] = [];
	while (hasLine(cursor) && (indentWidth(cursor.lines[cursor.index]) >= 4 || isBlank(cursor.lines[cursor.index]))) {
		content.push(removeIndent(cursor.lines[cursor.index], 4));
		cursor.index++;
	}
	while (content.length > 0 && isBlank(content[content.length - 1])) {
		content.pop();
		cursor.index--;
	}
	return `[code]${escapeCodeBlockContent(content.join('\n'))}[/code]`;
}

function readBlockquote(cursor: LineCursor, context: InlineContext): string[] {
	const inner: string[] = [];
	while (hasLine(cursor) && BLOCKQUOTE.test(cursor.lines[cursor.index])) {
		let quoted = cursor.lines[cursor.index];
		// Bitrix24 quotes have one level: "> > x" is flattened to one quote.
		while (BLOCKQUOTE.test(quoted)) quoted = quoted.replace(/^ {0,3}> ?/, '');
		inner.push(quoted);
		cursor.index++;
	}
	return renderBlocks(inner, context).map((rendered) => `>>${rendered}`);
}

/** A list item and the lines right under it (indented or lazy), which belong to its text. */
function readListItem(
	cursor: LineCursor,
	item: RegExpExecArray,
	list: ListState,
	continuesList: boolean,
	context: InlineContext,
): string[] {
	const markerIndent = indentWidth(item[1]);
	if (!continuesList) list.markerIndents = [];
	while (list.markerIndents.length > 0 && list.markerIndents[list.markerIndents.length - 1] >= markerIndent) {
		list.markerIndents.pop();
	}
	const level = list.markerIndents.length;
	list.markerIndents.push(markerIndent);
	cursor.index++;
	const itemLines = [item[3] ?? '', ...takeUntilBlockStart(cursor)];
	return renderListItem(item[2], itemLines, level, context);
}

/** A later paragraph of the last list item (after a blank line), indented to its level. */
function readListParagraph(cursor: LineCursor, list: ListState, context: InlineContext): string[] {
	const indent = '\t'.repeat(list.markerIndents.length);
	const paragraph = takeUntilBlockStart(cursor);
	return renderInlineLines(paragraphSource(paragraph), context).map((rendered) => indent + rendered);
}

function readTable(cursor: LineCursor, context: InlineContext): string[] {
	const rows = [renderTableRow(splitTableCells(cursor.lines[cursor.index]), true, context)];
	cursor.index += 2; // the header row and the delimiter row
	while (hasLine(cursor)) {
		const line = cursor.lines[cursor.index];
		if (isBlank(line) || !line.includes('|') || BLOCKQUOTE.test(line)) break;
		rows.push(renderTableRow(splitTableCells(line), false, context));
		cursor.index++;
	}
	return rows;
}

/** A paragraph; underlined with === or --- it is a (setext) heading. */
function readParagraph(cursor: LineCursor, context: InlineContext): string[] {
	const paragraph = [cursor.lines[cursor.index]];
	cursor.index++;
	while (
		hasLine(cursor) &&
		!startsBlock(cursor.lines, cursor.index) &&
		!SETEXT_UNDERLINE.test(cursor.lines[cursor.index])
	) {
		paragraph.push(cursor.lines[cursor.index]);
		cursor.index++;
	}
	if (hasLine(cursor) && SETEXT_UNDERLINE.test(cursor.lines[cursor.index])) {
		cursor.index++;
		return [`[b]${renderInline(paragraphSource(paragraph).replace(/\n/g, ' '), context)}[/b]`];
	}
	return renderInlineLines(paragraphSource(paragraph), context);
}

/** Reads the lines block by block; each block's reader consumes its lines and renders them. */
function renderBlocks(lines: string[], context: InlineContext): string[] {
	const output: string[] = [];
	const cursor: LineCursor = { lines, index: 0 };
	const list: ListState = { markerIndents: [] };
	let listActive = false;

	while (hasLine(cursor)) {
		const line = lines[cursor.index];

		if (isBlank(line)) {
			output.push('');
			cursor.index++;
			continue;
		}

		const fence = fenceOpening(line);
		if (fence) {
			output.push(readFencedCode(cursor, fence));
			continue;
		}

		const previousIsBlank = output.length === 0 || output[output.length - 1] === '';
		if (!listActive && previousIsBlank && indentWidth(line) >= 4) {
			output.push(readIndentedCode(cursor));
			continue;
		}

		const heading = headingText(line);
		if (heading !== undefined) {
			listActive = false;
			output.push(heading === '' ? '' : `[b]${renderInline(heading, context)}[/b]`);
			cursor.index++;
			continue;
		}

		if (BLOCKQUOTE.test(line)) {
			listActive = false;
			output.push(...readBlockquote(cursor, context));
			continue;
		}

		if (isThematicBreak(line)) {
			listActive = false;
			output.push(HORIZONTAL_RULE);
			cursor.index++;
			continue;
		}

		const item = LIST_ITEM.exec(line);
		if (item) {
			output.push(...readListItem(cursor, item, list, listActive, context));
			listActive = true;
			continue;
		}

		if (listActive && indentWidth(line) >= 2) {
			output.push(...readListParagraph(cursor, list, context));
			continue;
		}

		listActive = false;
		output.push(...(isTableStart(lines, cursor.index) ? readTable(cursor, context) : readParagraph(cursor, context)));
	}
	return output;
}

function removeIndent(line: string, width: number): string {
	let removed = 0;
	let index = 0;
	while (index < line.length && removed < width) {
		if (line[index] === ' ') removed++;
		else if (line[index] === '\t') removed += 4 - (removed % 4);
		else break;
		index++;
	}
	return line.slice(index);
}

function renderListItem(marker: string, itemLines: string[], level: number, context: InlineContext): string[] {
	let text = paragraphSource(itemLines);
	let checkbox = '';
	const task = /^\[([ xX])\][ \t]+/.exec(text);
	if (task) {
		checkbox = task[1] === ' ' ? '☐' : '☑';
		text = text.slice(task[0].length);
	}
	const isOrdered = /\d/.test(marker[0]);
	let prefix: string;
	if (isOrdered) prefix = checkbox ? `${marker} ${checkbox}` : marker;
	else prefix = checkbox || BULLETS[level % BULLETS.length];
	const indent = '\t'.repeat(level);
	const rendered = renderInline(text, context).split('\n');
	return rendered.map((renderedLine, lineIndex) =>
		lineIndex === 0
			? `${indent}${prefix}${renderedLine === '' ? '' : ' '}${renderedLine}`
			: `${indent}\t${renderedLine}`,
	);
}

function renderTableRow(cells: string[], isHeader: boolean, context: InlineContext): string {
	return cells
		.map((cell) => {
			const rendered = renderInline(cell, context);
			return isHeader && rendered !== '' ? `[b]${rendered}[/b]` : rendered;
		})
		.join(' | ');
}

/** Converts Markdown to Bitrix24 chat BB-code. Deterministic; linear in the input size. */
export function markdownToBbCode(markdown: string): string {
	const { lines, references } = extractReferenceDefinitions(markdown.replace(/\r\n?/g, '\n').split('\n'));
	const context: InlineContext = { references };
	return renderBlocks(lines, context).join('\n').replace(/\n+$/, '');
}
