/**
 * Checks every relative link in the documentation: README.md, CHANGELOG.md and docs/*.md. A link
 * must name a file or folder that exists, and a `#anchor` must be a heading of the page it points
 * to (or of the same page), spelled as GitHub spells heading anchors. Web links are not fetched.
 *
 *   npm run docs:links    prints each broken link with its file and line, exits 1 when there is one
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { repoRoot } from './lib/paths';

/** GitHub's heading anchor: lower case, punctuation dropped (not `-` and `_`), spaces as `-`. */
export function githubSlug(heading: string): string {
	const text = heading
		.replace(/`([^`]*)`/g, '$1')
		.replace(/!?\[([^\]]*)\]\([^)]*\)/g, '$1')
		.replace(/\*+/g, '')
		.trim()
		.toLowerCase();
	return text.replace(/[^\p{L}\p{M}\p{N}\p{Pc}\- ]/gu, '').replace(/ /g, '-');
}

/** The lines that are Markdown text, not fenced code, with their line numbers (from 1). */
function proseLines(source: string): Array<{ line: number; text: string }> {
	const lines: Array<{ line: number; text: string }> = [];
	let fence: string | undefined;
	source.split('\n').forEach((text, index) => {
		const marker = /^\s*(```+|~~~+)/.exec(text)?.[1];
		if (marker && (!fence || marker.startsWith(fence))) {
			fence = fence ? undefined : marker;
			return;
		}
		if (!fence) lines.push({ line: index + 1, text });
	});
	return lines;
}

/** The anchors of a page's headings, numbered as GitHub numbers repeated ones (`-1`, `-2`…). */
export function headingAnchors(source: string): Set<string> {
	const anchors = new Set<string>();
	const seen = new Map<string, number>();
	for (const { text } of proseLines(source)) {
		const heading = /^#{1,6}\s+(.*?)\s*#*\s*$/.exec(text)?.[1];
		if (heading === undefined) continue;
		const slug = githubSlug(heading);
		const count = seen.get(slug) ?? 0;
		seen.set(slug, count + 1);
		anchors.add(count === 0 ? slug : `${slug}-${count}`);
	}
	return anchors;
}

/** Inline link targets `[text](target)` outside code spans, with their line numbers. */
export function linkTargets(source: string): Array<{ line: number; target: string }> {
	const links: Array<{ line: number; target: string }> = [];
	for (const { line, text } of proseLines(source)) {
		const withoutCode = text.replace(/`[^`]*`/g, '``');
		for (const match of withoutCode.matchAll(/\]\(\s*<?([^)\s>]+)>?(?:\s+"[^"]*")?\s*\)/g)) {
			links.push({ line, target: match[1] });
		}
	}
	return links;
}

function documentationFiles(): string[] {
	const docs = fs
		.readdirSync(path.join(repoRoot, 'docs'))
		.filter((name) => name.endsWith('.md'))
		.map((name) => path.join('docs', name));
	return ['README.md', 'CHANGELOG.md', ...docs.sort()];
}

/** Every relative link of the documentation that does not resolve, and how many were checked. */
export function brokenLinks(): { checked: number; problems: string[] } {
	const anchorsOf = new Map<string, Set<string>>();
	const anchors = (file: string) => {
		if (!anchorsOf.has(file)) anchorsOf.set(file, headingAnchors(fs.readFileSync(file, 'utf8')));
		return anchorsOf.get(file)!;
	};
	const problems: string[] = [];
	let checked = 0;
	for (const file of documentationFiles()) {
		const absolute = path.join(repoRoot, file);
		for (const { line, target } of linkTargets(fs.readFileSync(absolute, 'utf8'))) {
			if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // https:, mailto:…: not checked here
			checked++;
			const [pathPart, anchor] = target.split('#', 2) as [string, string | undefined];
			const destination = pathPart === '' ? absolute : path.resolve(path.dirname(absolute), decodeURI(pathPart));
			const where = `${file}:${line}: ${target}`;
			if (!fs.existsSync(destination)) {
				problems.push(`${where}: no such file`);
			} else if (anchor !== undefined) {
				if (!destination.endsWith('.md')) problems.push(`${where}: an anchor into a file that is not Markdown`);
				else if (!anchors(destination).has(anchor.toLowerCase())) {
					problems.push(`${where}: no heading with the anchor #${anchor} in ${path.relative(repoRoot, destination)}`);
				}
			}
		}
	}
	return { checked, problems };
}

if (require.main === module) {
	const { checked, problems } = brokenLinks();
	console.log(`${checked} relative links checked in ${documentationFiles().length} files`);
	for (const problem of problems) console.error(`  - ${problem}`);
	console.log(problems.length === 0 ? 'every relative link and anchor resolves' : `${problems.length} broken`);
	process.exit(problems.length === 0 ? 0 : 1);
}
