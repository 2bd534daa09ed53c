import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { promisify } from 'node:util';

import { npmEnvironment, npmInvocation } from './npmCommand';
import { repoRoot } from './paths';

const run = promisify(execFile);

export interface PackedPackage {
	name: string;
	version: string;
	tarball: string;
	/** Paths inside the tarball, as `npm pack --json` lists them. */
	files: string[];
}

/**
 * `npm pack` of the built package (dist/ must exist): exactly what `npm publish` would upload.
 * BITRIX24_PACKAGE_ROOT points the tools at another built copy of the package (e.g. a release
 * candidate unpacked elsewhere); by default it is this repository.
 */
export async function packPackage(
	destination: string,
	packageRoot: string = process.env.BITRIX24_PACKAGE_ROOT || repoRoot,
): Promise<PackedPackage> {
	if (!fs.existsSync(path.join(packageRoot, 'dist'))) {
		throw new Error('dist/ is missing: run `npm run build` first');
	}
	fs.mkdirSync(destination, { recursive: true });
	const { command, prefixArgs } = npmInvocation();
	// --ignore-scripts: the caller builds first; a prepack hook must not rebuild behind our back.
	const { stdout } = await run(
		command,
		[...prefixArgs, 'pack', '--json', '--ignore-scripts', '--pack-destination', destination],
		{ cwd: packageRoot, env: npmEnvironment(), maxBuffer: 64 * 1024 * 1024 },
	);
	const [report] = JSON.parse(stdout) as Array<{
		name: string;
		version: string;
		filename: string;
		files: Array<{ path: string }>;
	}>;
	return {
		name: report.name,
		version: report.version,
		tarball: path.join(destination, report.filename),
		files: report.files.map((file) => file.path),
	};
}

/**
 * Installs a packed package into an n8n user folder the way n8n 2.x installs a community
 * package from the registry (CommunityPackagesService#downloadPackage): the tarball is unpacked
 * into <userFolder>/.n8n/nodes/node_modules/<name>, its dev/peer/optional dependencies are
 * removed from its package.json, its runtime dependencies installed shallowly without scripts,
 * and <userFolder>/.n8n/nodes/package.json records it. n8n loads every n8n-nodes-* folder
 * there at startup.
 */
export async function installCommunityPackage(userFolder: string, packed: PackedPackage): Promise<string> {
	const nodesFolder = path.join(userFolder, '.n8n', 'nodes');
	const packageFolder = path.join(nodesFolder, 'node_modules', packed.name);
	fs.rmSync(packageFolder, { recursive: true, force: true });
	fs.mkdirSync(packageFolder, { recursive: true });
	await run('tar', ['-xzf', packed.tarball, '-C', packageFolder, '--strip-components=1']);

	const packageJsonPath = path.join(packageFolder, 'package.json');
	const { devDependencies, peerDependencies, optionalDependencies, ...packageJson } = JSON.parse(
		fs.readFileSync(packageJsonPath, 'utf8'),
	) as Record<string, unknown>;
	void devDependencies;
	void peerDependencies;
	void optionalDependencies;
	fs.writeFileSync(packageJsonPath, JSON.stringify(packageJson, null, 2));

	const dependencies = (packageJson.dependencies ?? {}) as Record<string, string>;
	if (Object.keys(dependencies).length > 0) {
		// n8n runs this unconditionally; with no runtime dependencies it would do nothing but cost a second.
		const { command, prefixArgs } = npmInvocation();
		await run(
			command,
			[
				...prefixArgs,
				'install',
				'--audit=false',
				'--fund=false',
				'--bin-links=false',
				'--install-strategy=shallow',
				'--ignore-scripts=true',
				'--package-lock=false',
			],
			{ cwd: packageFolder, env: npmEnvironment() },
		);
	}

	const manifestPath = path.join(nodesFolder, 'package.json');
	const manifest = fs.existsSync(manifestPath)
		? (JSON.parse(fs.readFileSync(manifestPath, 'utf8')) as { dependencies?: Record<string, string> })
		: { name: 'installed-nodes', private: true, dependencies: {} };
	manifest.dependencies = { ...manifest.dependencies, [packed.name]: packed.version };
	fs.writeFileSync(manifestPath, JSON.stringify(manifest, null, 2));
	return packageFolder;
}
