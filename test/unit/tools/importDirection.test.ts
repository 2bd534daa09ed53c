import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';

// Imports run one way: operations and transport may read shared/, never the reverse, and the
// credentials read only shared/ (they must not reach into transport/ or an operation folder).
const root = resolve(__dirname, '../../..');
const sharedDir = join(root, 'nodes', 'Bitrix24', 'shared');
const credentialsDir = join(root, 'credentials');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Every module path named by an `import … from`, `export … from` or bare `import '…'`. */
function importedPaths(source: string): string[] {
	const pattern = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm;
	return [...source.matchAll(pattern)].map((match) => match[1]);
}

function isInside(path: string, dir: string): boolean {
	return path === dir || path.startsWith(dir + sep);
}

/** Relative imports of `file` that resolve outside every folder in `allowed`, as repo paths. */
function importsOutside(file: string, allowed: string[]): string[] {
	return importedPaths(readFileSync(file, 'utf8'))
		.filter((path) => path.startsWith('.'))
		.map((path) => resolve(dirname(file), path))
		.filter((target) => !allowed.some((dir) => isInside(target, dir)))
		.map((target) => relative(root, target));
}

describe('import direction', () => {
	it('reads every form of import statement', () => {
		const source = [
			"import { a } from './a';",
			"import type { B } from '../b';",
			'import {\n\tc,\n\td,\n} from "./cd";',
			"export { e } from './e';",
			"import './sideEffect';",
			"const text = 'import x from nowhere';",
		].join('\n');
		expect(importedPaths(source)).toEqual(['./a', '../b', './cd', './e', './sideEffect']);
	});

	it('finds the files and imports it checks', () => {
		const credential = join(credentialsDir, 'Bitrix24WebhookApi.credentials.ts');
		expect(importedPaths(readFileSync(credential, 'utf8'))).toContain('../nodes/Bitrix24/shared/webhookUrl');
		expect(sourceFiles(sharedDir).length).toBeGreaterThan(3);
	});

	it('shared/ imports nothing but shared/', () => {
		const offenders = sourceFiles(sharedDir).flatMap((file) =>
			importsOutside(file, [sharedDir]).map((target) => `${relative(root, file)} → ${target}`),
		);
		expect(offenders).toEqual([]);
	});

	it('credentials/ import nothing but shared/', () => {
		const offenders = sourceFiles(credentialsDir).flatMap((file) =>
			importsOutside(file, [sharedDir, credentialsDir]).map((target) => `${relative(root, file)} → ${target}`),
		);
		expect(offenders).toEqual([]);
	});
});
