import { DIALOG_URL_REGEX, dialogIdFromUrl } from '../../../nodes/Bitrix24/shared/dialogUrl';

const portal = 'https://acme.bitrix24.com';

describe('dialogIdFromUrl', () => {
	it.each([
		['group chat in the web messenger', `${portal}/online/?IM_DIALOG=chat123`, 'chat123'],
		['private chat in the web messenger', `${portal}/online/?IM_DIALOG=123`, '123'],
		['workgroup chat in the web messenger', `${portal}/online/?IM_DIALOG=sg5`, 'sg5'],
		['link to a message', `${portal}/online/?IM_DIALOG=chat42&IM_MESSAGE=9001`, 'chat42'],
		['dialog after another parameter', `${portal}/online/?foo=1&IM_DIALOG=chat7`, 'chat7'],
		['messenger opened over another page', `${portal}/crm/deal/details/1/?IM_DIALOG=chat8`, 'chat8'],
		['messenger path variant', `${portal}/messenger/?IM_DIALOG=chat9`, 'chat9'],
		['dialog in the fragment', `${portal}/stream/#IM_DIALOG=chat10`, 'chat10'],
		['CoPilot chat', `${portal}/online/?IM_COPILOT=chat11`, 'chat11'],
		['upper-case id and spaces around', `  ${portal}/online/?IM_DIALOG=CHAT12  `, 'chat12'],
		['percent-encoded id', `${portal}/online/?IM_DIALOG=chat%31%33`, 'chat13'],
		['self-hosted portal over http', 'http://intranet.local/online/?IM_DIALOG=chat14', 'chat14'],
		['desktop app link', 'bx://v2/acme.bitrix24.com/chat/dialogId/chat15', 'chat15'],
		['desktop app link to a message', 'bx://chat/dialogId/16/messageId/77', '16'],
		['user profile', `${portal}/company/personal/user/123/`, '123'],
		['user profile without trailing slash', `${portal}/company/personal/user/124`, '124'],
		['extranet user profile', `${portal}/extranet/contacts/personal/user/125/`, '125'],
		['workgroup', `${portal}/workgroups/group/5/`, 'sg5'],
		['workgroup tasks page', `${portal}/workgroups/group/6/tasks/`, 'sg6'],
		['extranet workgroup', `${portal}/extranet/workgroups/group/7/`, 'sg7'],
	])('%s', (_name, url, expected) => {
		expect(dialogIdFromUrl(url)).toBe(expected);
	});

	it.each([
		['not a URL', 'chat123'],
		['empty', ''],
		['portal home', `${portal}/`],
		['a page of a user that is not the profile', `${portal}/company/personal/user/1/tasks/task/view/55/`],
		['a CRM deal', `${portal}/crm/deal/details/1/`],
		['unknown dialog id form', `${portal}/online/?IM_DIALOG=general`],
		['empty dialog parameter', `${portal}/online/?IM_DIALOG=`],
		['group path only in a query parameter', `${portal}/auth/?back=/workgroups/group/5/`],
		['other scheme', 'ftp://acme.bitrix24.com/online/?IM_DIALOG=chat1'],
		['chat 0, which no dialog ID names', `${portal}/online/?IM_DIALOG=chat0`],
		['user 0', `${portal}/company/personal/user/0/`],
	])('gives undefined for %s', (_name, url) => {
		expect(dialogIdFromUrl(url)).toBeUndefined();
	});
});

describe('DIALOG_URL_REGEX (resourceLocator validation)', () => {
	// n8n anchors a resource locator validation regex: `^${regex}$` (NodeHelpers.validateResourceLocatorParameter).
	const validation = new RegExp(`^${DIALOG_URL_REGEX}$`);

	it.each([
		`${portal}/online/?IM_DIALOG=chat123`,
		`${portal}/online/?IM_DIALOG=42&IM_MESSAGE=1`,
		'bx://v2/acme.bitrix24.com/chat/dialogId/chat15',
		`${portal}/company/personal/user/123/`,
		`${portal}/workgroups/group/5/`,
	])('accepts %s, and so does dialogIdFromUrl', (url) => {
		expect(validation.test(url)).toBe(true);
		expect(dialogIdFromUrl(url)).toBeDefined();
	});

	it.each([
		'chat123',
		`${portal}/`,
		`${portal}/online/?IM_DIALOG=general`,
		`${portal}/crm/deal/details/1/`,
		`${portal}/company/personal/user/1/tasks/`,
		`${portal}/online/?IM_DIALOG=chat0`,
		`${portal}/workgroups/group/0/`,
	])('rejects %s', (url) => {
		expect(validation.test(url)).toBe(false);
	});
});
