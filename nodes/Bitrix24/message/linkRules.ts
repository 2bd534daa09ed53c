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
