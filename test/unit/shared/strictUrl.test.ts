import { isLoopbackHost, MisleadingUrlError, parseStrictUrl } from '../../../nodes/Bitrix24/shared/strictUrl';

describe('parseStrictUrl', () => {
	it.each([
		'https://team.bitrix24.com/rest/1/abc/',
		'HTTPS://Team.Bitrix24.com:443/rest/',
		'http://192.168.1.10:8080/rest/1/abc/',
		'https://[::1]:8443/x',
		'https://портал.рф/rest/',
	])('accepts %s', (url) => {
		expect(parseStrictUrl(url)).toBeInstanceOf(URL);
	});

	it.each([
		['https://evil.example\\@team.bitrix24.com/', /backslash/],
		['https://team.bit\trix24.com/', /tab/],
		['https://team.bitrix24.com/a b', /space/],
		['https://team.bitrix24.com/\u0000', /invisible/],
		['https://user:pass@team.bitrix24.com/', /user info/],
		['https://%74eam.bitrix24.com/', /not as written/],
		['http://0x7f.1/', /not as written/],
		['ftp://team.bitrix24.com/', /https/],
		['//team.bitrix24.com/', /https/],
	])('refuses %s', (url, reason) => {
		expect(() => parseStrictUrl(url)).toThrow(MisleadingUrlError);
		expect(() => parseStrictUrl(url)).toThrow(reason);
	});

	it('knows loopback hosts', () => {
		expect(['localhost', '127.0.0.2', '[::1]'].every(isLoopbackHost)).toBe(true);
		expect(['127.0.0.1.evil.example', '10.0.0.1', 'localhost.example'].some(isLoopbackHost)).toBe(false);
	});
});
