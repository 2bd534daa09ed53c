/**
 * `npm start`: real n8n on http://localhost:5678 with this package loaded as a community
 * package, a ready credential for the embedded demo portal and the sample workflow.
 *
 *   npm start                        n8n + demo portal (http://127.0.0.1:5690/_demo)
 *   npm start -- --no-demo-portal    n8n only, to use with a real Bitrix24 portal
 *   npm start -- --port=5679 --portal-port=5691
 *
 * BITRIX24_DEMO_PORTAL=off is the same as --no-demo-portal. n8n's data (owner account,
 * workflows you build, credentials) persists in .cache/n8n-home between runs.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';

import { packPackage } from './lib/communityPackage';
import {
	DEMO_CREDENTIAL_NAME,
	DEMO_WORKFLOW_ID,
	DEMO_WORKFLOW_NAME,
	demoCredential,
	demoWorkflow,
} from './lib/demoSetup';
import { isPortOpen } from './lib/freePort';
import { HeadlessN8n } from './lib/headlessN8n';
import { ensureN8nInstalled } from './lib/n8nInstall';
import { ownerSession, startN8nServer } from './lib/n8nServer';
import { selectedN8nVersion } from './lib/n8nVersion';
import { checkoutCacheDir } from './lib/paths';
import { startFakePortal } from '../test/fakePortal';
import type { FakePortal } from '../test/fakePortal';

/** Printed in the banner: n8n listens on 127.0.0.1 only, so this account is reachable from this machine only. */
const DEMO_OWNER = { email: 'demo@example.com', password: 'Bitrix24-demo', firstName: 'Demo', lastName: 'Owner' };
const IMPORTED_MARKER = 'bitrix24-demo-workflow-imported';

/** The command line of `npm start -- ...`; unknown flags are an error, so a typo cannot pass silently. */
function commandLine() {
	return parseArgs({
		args: process.argv.slice(2),
		options: {
			port: { type: 'string' },
			'portal-port': { type: 'string' },
			'no-demo-portal': { type: 'boolean' },
			verbose: { type: 'boolean' },
		},
		strict: true,
		allowPositionals: false,
	}).values;
}

function portFlag(flags: ReturnType<typeof commandLine>, name: 'port' | 'portal-port', fallback: number): number {
	const value = flags[name];
	if (value === undefined) return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port <= 0 || port > 65535)
		throw new Error(`--${name} must be a TCP port, got "${value}"`);
	return port;
}

async function main(): Promise<void> {
	const flags = commandLine();
	const withPortal = flags['no-demo-portal'] !== true && process.env.BITRIX24_DEMO_PORTAL !== 'off';
	const n8nPort = portFlag(flags, 'port', 5678);
	const portalPort = portFlag(flags, 'portal-port', 5690);
	if (await isPortOpen(n8nPort)) throw new Error(`port ${n8nPort} is in use (another n8n?); pass --port=<free port>`);
	if (withPortal && (await isPortOpen(portalPort))) {
		throw new Error(`port ${portalPort} is in use; pass --portal-port=<free port>`);
	}

	const version = selectedN8nVersion();
	const installation = await ensureN8nInstalled(version, (line) => console.log(line));

	const home = path.join(checkoutCacheDir, 'n8n-home');
	fs.mkdirSync(home, { recursive: true });
	const packed = await packPackage(path.join(checkoutCacheDir, 'start-pack'));
	// A persistent folder whose encryption key n8n manages itself (<home>/.n8n/config).
	const n8n = await HeadlessN8n.create({
		installation,
		packed,
		userFolder: home,
		encryptionKey: 'n8n-managed',
		port: n8nPort,
		logLevel: 'warn',
	});
	console.log(
		`${packed.name}@${packed.version} installed as a community package in ${path.relative(process.cwd(), home)}/.n8n/nodes`,
	);

	let portal: FakePortal | undefined;
	if (withPortal) {
		portal = await startFakePortal({ port: portalPort });
		const credential = demoCredential(portal.webhookUrl);
		// The credential is re-imported every time (same id): it must point at this run's portal.
		await n8n.importCredentials([credential]);
		const marker = path.join(home, IMPORTED_MARKER);
		// The sample workflow only once, so edits you make to it survive restarts.
		if (!fs.existsSync(marker)) {
			await n8n.importWorkflows([demoWorkflow(credential)]);
			fs.writeFileSync(marker, new Date().toISOString());
		}
	}

	// n8n's own log goes to a file; the terminal keeps the few lines that matter.
	const serverEnv = { ...n8n.env };
	delete serverEnv.N8N_EXPRESSION_ENGINE; // the server runs with n8n's default engine
	const verbose = flags.verbose === true;
	if (verbose) serverEnv.N8N_LOG_LEVEL = 'info';
	const server = await startN8nServer({ installation, env: serverEnv, inheritOutput: verbose });
	let ownerNote = `log in as ${DEMO_OWNER.email} / ${DEMO_OWNER.password}`;
	try {
		await ownerSession(server.url, DEMO_OWNER);
	} catch {
		ownerNote = 'log in with the owner account you created earlier';
	}

	const lines = [
		'',
		`n8n ${version} is running: ${server.url}  (${ownerNote})`,
		withPortal
			? `Sample workflow:   ${server.url}/workflow/${DEMO_WORKFLOW_ID}  ("${DEMO_WORKFLOW_NAME}": open it and click "Execute workflow")`
			: "Demo portal:       off (--no-demo-portal): create a Bitrix24 credential with your portal's inbound webhook URL or OAuth2 app",
		withPortal
			? `Demo portal:       ${portal!.url}/_demo  (messages it received; JSON at ${portal!.url}/_demo/messages)`
			: '',
		withPortal ? `Credential:        "${DEMO_CREDENTIAL_NAME}" = ${portal!.url}/rest/1/…/` : '',
		withPortal ? 'Press Ctrl-C to stop n8n and the demo portal.' : 'Press Ctrl-C to stop n8n.',
		'',
	].filter((line, index, all) => line !== '' || index === 0 || index === all.length - 1);
	console.log(lines.join('\n'));

	let stopping = false;
	const stop = async (code: number) => {
		if (stopping) return;
		stopping = true;
		console.log('\nStopping n8n and the demo portal...');
		await server.stop();
		await portal?.close();
		process.exit(code);
	};
	process.on('SIGINT', () => void stop(0));
	process.on('SIGTERM', () => void stop(0));
	server.process.once('exit', (code, signal) => {
		if (stopping) return;
		console.error(`n8n exited unexpectedly (${code ?? signal}).\n${server.output().slice(-4000)}`);
		void stop(1);
	});
}

main().catch((error: unknown) => {
	console.error(error instanceof Error ? error.message : error);
	process.exit(1);
});
