import { markdownToBbCode } from '../../../nodes/Bitrix24/text/markdownToBbCode';

/** The invisible character that stops "[" from starting a BB tag. */
const Z = '\u200B';

describe('markdownToBbCode', () => {
	it.each([
		// Emphasis
		['bold with stars', '**bold**', '[b]bold[/b]'],
		['bold with underscores', '__bold__', '[b]bold[/b]'],
		['italic with a star', '*italic*', '[i]italic[/i]'],
		['italic with an underscore', '_italic_', '[i]italic[/i]'],
		['bold and italic together', '***both***', '[i][b]both[/b][/i]'],
		['italic inside bold', '**bold *and italic* text**', '[b]bold [i]and italic[/i] text[/b]'],
		['strikethrough', '~~gone~~', '[s]gone[/s]'],
		['a single tilde is text', 'about ~5 minutes~', 'about ~5 minutes~'],
		['snake_case stays a word', 'call my_function_name now', 'call my_function_name now'],
		['stars between digits follow CommonMark', '2*3*4', '2[i]3[/i]4'],
		['a lone star is text', 'a * b', 'a * b'],
		['unclosed bold stays literal', '**not closed', '**not closed'],
		['rule of 3', '*a **b***', '[i]a [b]b[/b][/i]'],
		['emphasis across a soft line break', '**two\nlines**', '[b]two\nlines[/b]'],
		['backslash escapes', '\\*not italic\\* and \\[b\\]', `*not italic* and [${Z}b]`],
		// Code
		['inline code keeps its content literal', 'run `a **b** [i]` now', `run \`a **b** [${Z}i]\` now`],
		['double backtick code span', '``a ` b``', '`a ` b`'],
		['unmatched backtick is text', 'it`s **fine**', 'it`s [b]fine[/b]'],
		['fenced code block', '```js\nconst x = **1**;\n_y_\n```', '[code]const x = **1**;\n_y_[/code]'],
		['tilde fence', '~~~\n# not a heading\n~~~', '[code]# not a heading[/code]'],
		['a [/code] inside code cannot end it', '```\na [/code] b\n```', `[code]a [${Z}/code] b[/code]`],
		['unclosed fence runs to the end', '```\ncode\nmore', '[code]code\nmore[/code]'],
		[
			'indented code block',
			'text\n\n    indented **code**\n    line 2\n\nafter',
			'text\n\n[code]indented **code**\nline 2[/code]\n\nafter',
		],
		// Links
		['inline link', '[Bitrix24](https://bitrix24.com)', '[url=https://bitrix24.com]Bitrix24[/url]'],
		['bold inside a link', '[**Open** it](https://x.io/a)', '[url=https://x.io/a][b]Open[/b] it[/url]'],
		['link inside bold', '**see [docs](https://x.io)**', '[b]see [url=https://x.io]docs[/url][/b]'],
		['link with a title and parentheses', '[t](https://x.io/a_(b) "Title")', '[url=https://x.io/a_(b)]t[/url]'],
		['link URL with brackets is encoded', '[t](<https://x.io/?a[0]=1>)', '[url=https://x.io/?a%5B0%5D=1]t[/url]'],
		[
			'relative portal link',
			'[task](/company/personal/user/1/tasks/)',
			'[url=/company/personal/user/1/tasks/]task[/url]',
		],
		['unsafe link keeps only its text', '[click](javascript:alert(1))', 'click'],
		['angle autolink', '<https://x.io/a?b=c>', '[url=https://x.io/a?b=c]https://x.io/a?b=c[/url]'],
		['email autolink', '<me@example.com>', '[url=mailto:me@example.com]me@example.com[/url]'],
		['bare URL stays text without trailing dot', 'see https://x.io/a_b_c.', 'see https://x.io/a_b_c.'],
		['bare URL in parentheses', '(https://x.io/a)', '(https://x.io/a)'],
		['reference link', '[the site][s]\n\n[s]: https://s.io "Site"', '[url=https://s.io]the site[/url]'],
		[
			'collapsed and shortcut references',
			'[S][] and [s]\n\n[S]: https://s.io',
			'[url=https://s.io]S[/url] and [url=https://s.io]s[/url]',
		],
		['image becomes a link', '![diagram](https://x.io/d.png)', '[url=https://x.io/d.png]diagram[/url]'],
		[
			'image inside a link shows its description',
			'[![badge](https://x.io/b.svg)](https://x.io)',
			'[url=https://x.io]badge[/url]',
		],
		['brackets that are not a link', 'see [1] and [note]', 'see [1] and [note]'],
		// Blocks
		['heading', '# Title', '[b]Title[/b]'],
		['heading with closing hashes and emphasis', '## The *plan* ##', '[b]The [i]plan[/i][/b]'],
		['setext heading', 'Title\n=====\ntext', '[b]Title[/b]\ntext'],
		['hash without space is text', '#hashtag', '#hashtag'],
		['block quote', '> quoted *text*\n> second', '>>quoted [i]text[/i]\n>>second'],
		['nested quote is flattened', '> a\n> > b', '>>a\n>>b'],
		['bullet list', '- one\n- two\n* three', '• one\n• two\n• three'],
		['numbered list keeps numbers', '1. first\n2. second\n10) tenth', '1. first\n2. second\n10) tenth'],
		['nested lists indent with tabs', '- a\n  - b\n    - c\n- d', '• a\n\t◦ b\n\t\t▪ c\n• d'],
		['list item continuation line', '- item\n  more text', '• item\n\tmore text'],
		['task list', '- [ ] todo\n- [x] done', '☐ todo\n☑ done'],
		['thematic break', 'a\n\n---\n\nb', 'a\n\n────────────────────\n\nb'],
		['table', '| Name | Qty |\n|------|----:|\n| `a|b` | **2** |', '[b]Name[/b] | [b]Qty[/b]\n`a|b` | [b]2[/b]'],
		['line breaks are kept', 'line 1\nline 2\n\nparagraph', 'line 1\nline 2\n\nparagraph'],
		['hard break spaces and backslash', 'a  \nb\\\nc', 'a\nb\nc'],
		['Windows line endings', 'a\r\nb', 'a\nb'],
		['escaped quote marker is not a quote', '\\>> not a quote', `${Z}>> not a quote`],
		// Text that looks like BB-code
		['array index is not italic', 'use arr[i] and map[b]', `use arr[${Z}i] and map[${Z}b]`],
		['already BB-code is shown literally', '[b]x[/b] [user=5]', `[${Z}b]x[${Z}/b] [${Z}user=5]`],
		['brackets split across tokens cannot form a tag', '[*b*]', '[[i]b[/i]]'],
		['entities', 'a &amp; b &lt;3 &#8364; &bogus;', 'a & b <3 € &bogus;'],
		// Unicode
		['Cyrillic and emoji', '**Привет** _мир_ 🚀 ~~старое~~', '[b]Привет[/b] [i]мир[/i] 🚀 [s]старое[/s]'],
		['emphasis next to CJK punctuation', '**注意**：明天', '[b]注意[/b]：明天'],
		['emoji inside emphasis', '*🎉 done*', '[i]🎉 done[/i]'],
	])('%s', (_name, markdown, expected) => {
		expect(markdownToBbCode(markdown)).toBe(expected);
	});

	it('converts a realistic agent answer', () => {
		const markdown = [
			'## Deployment report',
			'',
			'The **build** passed. Details:',
			'',
			'1. Tests: _all green_',
			'2. Coverage: `92%`',
			'',
			'> Note: see [the log](https://ci.example.com/run/42)',
			'',
			'```bash',
			'npm run build -- --prod',
			'```',
		].join('\n');
		expect(markdownToBbCode(markdown)).toBe(
			[
				'[b]Deployment report[/b]',
				'',
				'The [b]build[/b] passed. Details:',
				'',
				'1. Tests: [i]all green[/i]',
				'2. Coverage: `92%`',
				'',
				'>>Note: see [url=https://ci.example.com/run/42]the log[/url]',
				'',
				'[code]npm run build -- --prod[/code]',
			].join('\n'),
		);
	});

	it('is deterministic', () => {
		const markdown = '# A\n**b** _c_ [d](https://e.io)\n- f';
		expect(markdownToBbCode(markdown)).toBe(markdownToBbCode(markdown));
	});

	describe('stays fast on long and hostile input (20,000 characters)', () => {
		const budgetMs = 500;
		it.each([
			['prose with formatting', 'Some **bold** and _italic_ text with a [link](https://x.io) and `code`. '.repeat(300)],
			['unclosed stars', '*a '.repeat(7000)],
			['alternating delimiters', '*_'.repeat(10000)],
			[
				'unmatched backticks of growing length',
				Array.from({ length: 190 }, (_, index) => '`'.repeat(index + 1) + 'x').join(''),
			],
			['many open brackets', '['.repeat(20000)],
			['link starts without end', '[a]('.repeat(5000)],
			['link titles without end', '[a](x "'.repeat(3000)],
			['parenthesised titles without end', '[a](x ('.repeat(3000)],
			['deeply nested images', `${'[!'.repeat(3000)}[x](https://x.io)${'](https://x.io)'.repeat(3000)}`],
			['heading of spaces', `#${' '.repeat(20000)}x`],
			['deeply nested list', Array.from({ length: 2000 }, (_, index) => `${' '.repeat(index % 40)}- item`).join('\n')],
			['bare URLs', 'https://x.io/a_b '.repeat(1200)],
		])('%s', (_name, markdown) => {
			expect(markdown.length).toBeGreaterThanOrEqual(4000);
			const started = performance.now();
			const output = markdownToBbCode(markdown);
			const elapsed = performance.now() - started;
			expect(output.length).toBeGreaterThan(0);
			expect(elapsed).toBeLessThan(budgetMs);
		});
	});
});
