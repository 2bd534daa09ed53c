/**
 * What Bitrix24's im module does to a message text before it stores it, so the node can decide
 * with the server's own rules instead of JavaScript's.
 */

/** The characters PHP's trim() removes: space, tab, line feed, carriage return, NUL and vertical tab. */
const PHP_TRIM_CHARACTERS = ' \t\n\r\0\u000b';

export function phpTrim(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && PHP_TRIM_CHARACTERS.includes(text[start])) start++;
	while (end > start && PHP_TRIM_CHARACTERS.includes(text[end - 1])) end--;
	return text.slice(start, end);
}

/**
 * The text an edit leaves: the im module turns `[BR]` and `[br]` (and, in its newer message
 * class, `#BR#`) into line breaks and then trims with PHP's trim(). When nothing is left,
 * im.message.update deletes the message.
 */
export function textAfterServerRules(text: string): string {
	return phpTrim(text.replace(/\[BR\]|\[br\]|#BR#/g, '\n'));
}

/** Length as Bitrix24 counts it (PHP mb_strlen): code points, not UTF-16 units. */
export function characterCount(text: string): number {
	return [...text].length;
}
