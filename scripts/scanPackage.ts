/**
 * `@n8n/scan-community-package`, the check n8n runs before listing a community package, as far
 * as it runs offline. The real tool (scanner/scanner.mjs, v0.32.0):
 *   1. reads the package's registry metadata and requires npm provenance (SLSA v1)   [online]
 *   2. downloads the provenance-attested source from GitHub and lints
 *      package.json + {nodes,credentials}/**\/*.{js,ts,json} with its ESLint config     [online]
 *   3. `npm pack`s the published version and lints its **\/*.js + package.json          [online]
 * Steps 2 and 3 are its exported `analyzePackage(dir, patterns)` with the same config
 * (`buildScanConfig`): this script runs them on this checkout (standing in for the attested
 * source) and on our own `npm pack` tarball. Step 1 cannot run before publishing: the script
 * checks its offline prerequisites (a GitHub `repository`, with `bugs`, `homepage` and `author`,
 * as scripts/lib/releaseChecks.ts requires them) and prints the one warning that remains, the
 * provenance statement itself, which only `npm publish --provenance` in CI creates.
 *
 *   node node_modules/.cache/bitrix24-tools/scripts/scanPackage.js      (needs a built dist/; exits 1 on violations)
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';

import { packPackage } from './lib/communityPackage';
import { runNpm } from './lib/npmCommand';
import { cacheDir, repoRoot } from './lib/paths';
import type { PackageManifest } from './lib/releaseChecks';
import { metadataProblems, repositoryUrl } from './lib/releaseChecks';

const SCANNER = '@n8n/scan-community-package';
const SCANNER_VERSION = '0.32.0';

interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}
interface ScannerModule {
	analyzePackage(directory: string, patterns?: string[]): Promise<ScanResult>;
	SOURCE_FILE_PATTERNS: string[];
}

/** Installs the pinned scanner once into .cache (like n8n itself) and returns its module path. */
async function ensureScanner(): Promise<string> {
	const folder = path.join(cacheDir, 'scan-community-package', SCANNER_VERSION);
	const entry = path.join(folder, 'node_modules', ...SCANNER.split('/'), 'scanner', 'scanner.mjs');
	const marker = path.join(folder, 'install-complete');
	if (fs.existsSync(marker) && fs.existsSync(entry)) return entry;
	console.log(`Installing ${SCANNER}@${SCANNER_VERSION} into ${path.relative(repoRoot, folder)} (first run only)`);
	fs.mkdirSync(folder, { recursive: true });
	fs.writeFileSync(
		path.join(folder, 'package.json'),
		JSON.stringify({ name: 'scanner-cache', private: true, dependencies: { [SCANNER]: SCANNER_VERSION } }, null, '\t') +
			'\n',
	);
	await runNpm(
		folder,
		['install', '--ignore-scripts', '--no-audit', '--no-fund', '--loglevel=http'],
		(line) => console.log(line),
		'downloading packages',
	);
	fs.writeFileSync(marker, new Date().toISOString());
	return entry;
}

// A real dynamic import: the scanner is an ES module, and TypeScript's CommonJS output would
// turn `import()` into `require()`.
const importModule = new Function('specifier', 'return import(specifier)') as (specifier: string) => Promise<unknown>;

function report(title: string, result: ScanResult): boolean {
	console.log(`${result.passed ? 'PASS' : 'FAIL'}  ${title}${result.message ? `: ${result.message}` : ''}`);
	if (result.details) console.log(result.details);
	return result.passed;
}

async function main(): Promise<number> {
	const scanner = (await importModule(new URL(`file://${await ensureScanner()}`).href)) as ScannerModule;

	// Leg 2: the source, with the scanner's own file patterns.
	const sourceOk = report(
		`source checkout (${scanner.SOURCE_FILE_PATTERNS.join(', ')})`,
		await scanner.analyzePackage(process.env.BITRIX24_PACKAGE_ROOT || repoRoot, scanner.SOURCE_FILE_PATTERNS),
	);

	// Leg 3: the tarball `npm publish` would upload, unpacked as the scanner unpacks it.
	const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-scan-'));
	let tarballOk = false;
	try {
		const packed = await packPackage(work);
		const unpacked = path.join(work, 'package');
		fs.mkdirSync(unpacked);
		execFileSync('tar', ['-xzf', packed.tarball, '-C', unpacked, '--strip-components=1']);
		tarballOk = report(
			`npm pack tarball ${path.basename(packed.tarball)} (**/*.js, package.json; ${packed.files.length} files)`,
			await scanner.analyzePackage(unpacked, ['**/*.js', 'package.json']),
		);
	} finally {
		fs.rmSync(work, { recursive: true, force: true });
	}

	// Leg 1 needs the published version's registry metadata. Its offline prerequisites are
	// checked here: n8n matches package.json's GitHub `repository` with the provenance's source.
	const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as PackageManifest;
	const metadata = metadataProblems(manifest);
	const metadataOk = metadata.length === 0;
	console.log(
		`${metadataOk ? 'PASS' : 'WARN'}  provenance prerequisites: package.json repository ${repositoryUrl(manifest) ?? 'is missing'}` +
			metadata.map((problem) => `\n      - ${problem}`).join(''),
	);
	// The one warning no local run can clear: the statement does not exist yet. npm creates and
	// signs it only in `npm publish --provenance` on GitHub Actions (.github/workflows/publish.yml),
	// with the workflow's OIDC identity, and stores it on the registry beside the version; a
	// tarball made by `npm pack` never contains one.
	console.log(
		`WARN  provenance statement (npm, SLSA v1): not checkable before publishing. A local \`npm pack\` tarball has none; ` +
			`the publish workflow creates it, and \`npm view ${manifest.name}@<version> dist.attestations\` shows it afterwards.`,
	);

	return sourceOk && tarballOk ? 0 : 1;
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.stack : error);
		process.exit(1);
	},
);
