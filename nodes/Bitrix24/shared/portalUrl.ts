/**
 * Reading the portal address a person types. Bitrix24 shows it without a scheme
 * (`mycompany.bitrix24.com`), and people paste it straight from the address bar with a page
 * path behind it; both mean the portal's origin.
 */

/** The portal's origin (`https://mycompany.bitrix24.com`), or undefined if it is not an address. */
export function portalOrigin(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text === '') return undefined;
	const withScheme = /^[a-z][a-z\d+.-]*:\/\//i.test(text) ? text : `https://${text}`;
	try {
		const url = new URL(withScheme);
		if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
		if (!url.hostname.includes('.') && url.hostname !== 'localhost' && !/^\[/.test(url.hostname)) return undefined;
		return url.origin;
	} catch {
		return undefined;
	}
}
