/**
 * Rules for the values inside attachments, keyboards and menus, read both by the builders and by
 * the check of JSON given directly, so the two accept and refuse the same values.
 */

/** The colour styles of an attachment's stripe (COLOR_TOKEN). */
export const ATTACH_COLOR_TOKENS = ['primary', 'secondary', 'alert', 'base'] as const;
export type AttachColorToken = (typeof ATTACH_COLOR_TOKENS)[number];

export function isAttachColorToken(value: string): value is AttachColorToken {
	return (ATTACH_COLOR_TOKENS as readonly string[]).includes(value);
}

/** Bitrix24 takes colours (COLOR, BG_COLOR, TEXT_COLOR) as `#rgb` or `#rrggbb`. */
export function isHexColor(value: string): boolean {
	return /^#[0-9a-f]{3}(?:[0-9a-f]{3})?$/i.test(value);
}

/**
 * Links in attachments, keyboards and menus: Bitrix24 accepts an absolute http(s) address or a
 * path on the portal starting with `/`. A browser reads `//evil.example/x` and `/\evil.example`
 * as another site (a backslash counts as a slash, and tabs and line breaks are dropped), so
 * those are not paths on the portal even though they start with `/`.
 */
export function linkProblem(link: string): string | undefined {
	if (/^https?:\/\//i.test(link)) return undefined;
	const shown = link.slice(0, 60);
	if (!link.startsWith('/')) return `must start with http://, https:// or / (got "${shown}")`;
	// eslint-disable-next-line no-control-regex -- control characters are what browsers drop
	if (/^\/[\s\u0000-\u001f]*[/\\]/.test(link) || /[\\\u0000-\u001f]/.test(link)) {
		return `is not a page of your portal: a browser reads "${shown}" as another site. Write the full https:// address instead`;
	}
	return undefined;
}
