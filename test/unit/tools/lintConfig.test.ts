import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/**
 * eslint.config.mjs adds one override for code that never runs inside n8n. That needed strict
 * mode off (strict mode only checks that the file is byte-for-byte n8n's default). This test keeps
 * what strict mode protected: every node and credential file, and package.json, is linted with
 * exactly the rules of n8n's default config.
 *
 * ESLint loads its ES-module config files, which jest's module sandbox cannot, so the
 * comparison runs in a plain Node child process.
 */
const root = path.resolve(__dirname, '../../..');
/** The config file `n8n-node new` writes, shipped inside @n8n/node-cli (not exported, hence the path). */
const defaultConfig = path.join(
	root,
	'node_modules/@n8n/node-cli/dist/template/templates/shared/default/eslint.config.mjs',
);

function filesUnder(folder: string): string[] {
	return fs
		.readdirSync(path.join(root, folder), { recursive: true, encoding: 'utf8' })
		.filter((file) => file.endsWith('.ts'))
		.map((file) => path.join(folder, file));
}

/** Each file's effective rules under the given config file, computed by ESLint itself. */
function effectiveRules(configFile: string, files: string[]): Record<string, unknown> {
	const script = `
		import { ESLint } from 'eslint';
		const eslint = new ESLint({ cwd: process.cwd(), overrideConfigFile: process.argv[1] });
		const out = {};
		for (const file of JSON.parse(process.argv[2])) {
			out[file] = (await eslint.calculateConfigForFile(file)).rules;
		}
		process.stdout.write(JSON.stringify(out));
	`;
	const output = execFileSync(
		process.execPath,
		['--input-type=module', '-e', script, configFile, JSON.stringify(files)],
		{
			cwd: root,
			encoding: 'utf8',
			maxBuffer: 64 * 1024 * 1024,
		},
	);
	return JSON.parse(output) as Record<string, unknown>;
}

describe('lint configuration', () => {
	it("lints node code, credential code and package.json with exactly n8n's default rules", () => {
		const files = [...filesUnder('nodes'), ...filesUnder('credentials'), 'package.json'];
		expect(files.length).toBeGreaterThan(10);
		const ours = effectiveRules(path.join(root, 'eslint.config.mjs'), files);
		const n8nDefault = effectiveRules(defaultConfig, files);
		for (const file of files) {
			expect({ file, rules: ours[file] }).toEqual({ file, rules: n8nDefault[file] });
		}
	}, 60_000);

	it('frees test, tool and benchmark code only from the rules for code that runs inside n8n', () => {
		const files = ['test/sendMessage.test.ts', 'scripts/start.ts', 'bench/measure.ts'];
		const ours = effectiveRules(path.join(root, 'eslint.config.mjs'), files) as Record<string, Record<string, unknown>>;
		const n8nDefault = effectiveRules(defaultConfig, files) as Record<string, Record<string, unknown>>;
		const freed = [
			'@n8n/community-nodes/no-restricted-imports',
			'@n8n/community-nodes/no-restricted-globals',
			'@n8n/community-nodes/no-dangerous-functions',
			'no-console',
		];
		for (const file of files) {
			const testOnly = file.startsWith('test/') ? ['@n8n/community-nodes/no-hardcoded-secrets'] : [];
			const changed = Object.keys(n8nDefault[file]).filter(
				(rule) => JSON.stringify(ours[file][rule]) !== JSON.stringify(n8nDefault[file][rule]),
			);
			expect(changed.sort()).toEqual([...freed, ...testOnly].sort());
			for (const rule of changed)
				expect({ rule, severity: (ours[file][rule] as unknown[])[0] }).toEqual({ rule, severity: 0 });
		}
	}, 60_000);
});
