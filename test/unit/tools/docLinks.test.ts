import { brokenLinks, githubSlug, headingAnchors, linkTargets } from '../../../scripts/checkDocLinks';

describe('documentation links (scripts/checkDocLinks.ts)', () => {
	it('spells heading anchors as GitHub does', () => {
		expect(githubSlug('Chat bot: Bitrix24 → Chat Bot')).toBe('chat-bot-bitrix24--chat-bot');
		expect(githubSlug('Message → Update (`im.message.update`)')).toBe('message--update-immessageupdate');
		expect(githubSlug('Quick start (no Bitrix24 portal needed)')).toBe('quick-start-no-bitrix24-portal-needed');
		expect(githubSlug('Webhook or OAuth?')).toBe('webhook-or-oauth');
	});

	it('numbers repeated headings and ignores headings inside fenced code', () => {
		const page = '# Setup\n\n## Setup\n\n```bash\n# not a heading\n```\n';
		expect([...headingAnchors(page)]).toEqual(['setup', 'setup-1']);
	});

	it('reads link targets outside code spans and fenced code only', () => {
		const page = 'See [a](docs/a.md#x) and `[b](b.md)`.\n\n```\n[c](c.md)\n```\n[d](https://example.com)\n';
		expect(linkTargets(page)).toEqual([
			{ line: 1, target: 'docs/a.md#x' },
			{ line: 6, target: 'https://example.com' },
		]);
	});

	it('finds no broken relative link or anchor in README.md, CHANGELOG.md and docs/', () => {
		const { checked, problems } = brokenLinks();
		expect(checked).toBeGreaterThan(50);
		expect(problems).toEqual([]);
	});
});
