/**
 * Makes plain text safe to place inside a Bitrix24 chat message.
 *
 * Bitrix24 has no escape character for BB-code: the chat client turns every `[b]`, `[url=…]`,
 * `[user=…]` … it finds into formatting, even when an agent only meant `array[i]`. We neutralise
 * such sequences by putting an invisible ZERO WIDTH SPACE right after the `[`: the reader sees
 * the same characters, but the client's tag patterns (`\[b]`, `\[url=…]`) no longer match.
 */

/** Invisible; placed after a `[` it keeps the chat client from reading a tag there. */
export const ZERO_WIDTH_SPACE = '\u200B';

/**
 * Tags the Bitrix24 web, desktop and mobile chat parsers recognise (im.v2 parser, server
 * CTextParser and the documented list in "Text Formatting (BB Codes)"). A `[` followed by one
 * of these names and then `]`, `=` or a space could start formatting.
 */
const KNOWN_TAG_NAMES = [
	'b',
	'i',
	'u',
	's',
	'br',
	'url',
	'user',
	'chat',
	'code',
	'size',
	'color',
	'put',
	'send',
	'call',
	'context',
	'dialog',
	'img',
	'icon',
	'timestamp',
	'disk',
	'like',
	'dislike',
	'rating',
	'attach',
	'pch',
	'quote',
	'spoiler',
	'font',
];

const TAG_START = new RegExp(`\\[(?=\\/?(?:${KNOWN_TAG_NAMES.join('|')})(?:[\\]= \\t]|$))`, 'gi');

/** Neutralises every `[` that would start a Bitrix24 BB tag. Other brackets stay untouched. */
export function escapeBbCodeText(text: string): string {
	return text.replace(TAG_START, `[${ZERO_WIDTH_SPACE}`);
}

/** Only `[/code]` can end a code block early; everything else inside [code] is shown literally. */
export function escapeCodeBlockContent(code: string): string {
	return code.replace(/\[(?=\/code\])/gi, `[${ZERO_WIDTH_SPACE}`);
}

/**
 * A URL placed in `[url=…]` must not contain square brackets (the tag would end early).
 * Percent-encoding them keeps the address equivalent.
 */
export function encodeUrlForBbCode(url: string): string {
	return url
		.replace(/\[/g, '%5B')
		.replace(/\]/g, '%5D')
		.replace(/\s/g, (space) => encodeURIComponent(space));
}
