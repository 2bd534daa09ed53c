import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * `npm run lint` is `n8n-node lint` in strict mode: it refuses to run unless eslint.config.mjs is
 * n8n's unmodified default, so node and credential code get exactly n8n's rules. It runs ESLint
 * with the unstable_config_lookup_from_file flag, under which a folder's own eslint.config.mjs
 * replaces the root one for that folder; that is how test/, scripts/ and bench/ are left to
 * `npm run lint:tools`. Strict mode does not look at those nested files, so this test does: a
 * nested config anywhere else (nodes/ or credentials/, say) would silently change the rules there.
 */
const root = path.resolve(__dirname, '../../..');
const SKIPPED = new Set(['node_modules', '.git', 'dist', '.cache', 'coverage']);

function nestedEslintConfigs(folder: string): string[] {
	const found: string[] = [];
	for (const entry of fs.readdirSync(path.join(root, folder), { withFileTypes: true })) {
		const relative = folder ? `${folder}/${entry.name}` : entry.name;
		if (entry.isDirectory() && !SKIPPED.has(entry.name)) found.push(...nestedEslintConfigs(relative));
		else if (folder && /^eslint\.config\.[cm]?[jt]s$/.test(entry.name)) found.push(relative);
	}
	return found;
}

describe('which lint command lints which folder', () => {
	it('only test/, scripts/ and bench/ have their own ESLint config, and it leaves them to lint:tools', () => {
		const nested = nestedEslintConfigs('');
		expect(nested.sort()).toEqual(['bench/eslint.config.mjs', 'scripts/eslint.config.mjs', 'test/eslint.config.mjs']);
		for (const file of nested) {
			expect({ file, text: fs.readFileSync(path.join(root, file), 'utf8') }).toEqual({
				file,
				text: expect.stringContaining("export default [{ ignores: ['**'] }];"),
			});
		}
	});

	it('npm run lint is n8n-node lint in strict mode with the nested-config flag, and lint:tools covers those folders', () => {
		const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as {
			n8n: { strict: boolean };
			scripts: Record<string, string>;
		};
		expect(pkg.n8n.strict).toBe(true);
		expect(pkg.scripts.lint).toBe('ESLINT_FLAGS=unstable_config_lookup_from_file n8n-node lint');
		expect(pkg.scripts['lint:tools']).toBe('eslint -c eslint.tools.config.mjs test scripts bench');
		const ci = fs.readFileSync(path.join(root, '.ci/run'), 'utf8');
		expect(ci.indexOf('npm run lint:tools')).toBeGreaterThan(ci.indexOf('npm run lint\n'));
	});
});
