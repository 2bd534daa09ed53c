/**
 * `npm run demo`: the sample workflow run headless in real n8n (`n8n execute`) against the
 * embedded demo portal; prints the message as the portal received it and exits 0 when it arrived.
 * Needs a built package (the npm script builds first).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { SEND_NODE_NAME } from './lib/bitrix24Fixtures';
import { packPackage } from './lib/communityPackage';
import {
	DEMO_UPDATE_NODE_NAME,
	DEMO_UPDATED_MESSAGE,
	DEMO_WORKFLOW_ID,
	DEMO_WORKFLOW_NAME,
	demoCredential,
	demoWorkflow,
} from './lib/demoSetup';
import { HeadlessN8n } from './lib/headlessN8n';
import { nodeOutputItems } from './lib/n8nCli';
import { ensureN8nInstalled } from './lib/n8nInstall';
import { selectedN8nVersion } from './lib/n8nVersion';
import { startFakePortal } from '../test/fakePortal';

const started = Date.now();
const step = (text: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(1).padStart(5)} s] ${text}`);

async function main(): Promise<number> {
	const version = selectedN8nVersion();
	const installation = await ensureN8nInstalled(version, (line) => console.log(line));
	step(`n8n ${version} ready`);

	const packDir = fs.mkdtempSync(path.join(os.tmpdir(), 'bitrix24-pack-'));
	const portal = await startFakePortal();
	let n8n: HeadlessN8n | undefined;
	try {
		const packed = await packPackage(packDir);
		n8n = await HeadlessN8n.create({ installation, packed });
		step(`${packed.name}@${packed.version} installed as a community package; demo portal at ${portal.url}`);

		const credential = demoCredential(portal.webhookUrl);
		await n8n.importCredentials([credential]);
		await n8n.importWorkflows([demoWorkflow(credential)]);
		step(`imported credential "${credential.name}" and workflow "${DEMO_WORKFLOW_NAME}"`);

		step('running the workflow: n8n execute --id=' + DEMO_WORKFLOW_ID);
		const { command, run } = await n8n.execute(DEMO_WORKFLOW_ID);
		if (command.exitCode !== 0 || !run) {
			console.error(
				`n8n execute failed (exit ${command.exitCode ?? command.signal}):\n${command.stdout.slice(-4000)}\n${command.stderr.slice(-2000)}`,
			);
			return 1;
		}
		const output = nodeOutputItems(run, SEND_NODE_NAME);
		const updated = nodeOutputItems(run, DEMO_UPDATE_NODE_NAME);
		step(
			`n8n finished: status ${run.status}; Send output ${JSON.stringify(output)}; Update output ${JSON.stringify(updated)}`,
		);

		const seen = (await (await fetch(`${portal.url}/_demo/messages`)).json()) as unknown;
		console.log('\nThe demo portal received (GET /_demo/messages):');
		console.log(JSON.stringify(seen, null, 2));

		const delivered = portal.messages;
		const ok =
			delivered.length === 1 &&
			delivered[0].message === DEMO_UPDATED_MESSAGE &&
			output.length === 1 &&
			output[0].messageId === delivered[0].id &&
			updated.length === 1 &&
			updated[0].messageId === delivered[0].id &&
			updated[0].updated === true;
		console.log(
			ok
				? '\nDemo OK: the message reached the portal and was updated in place.'
				: '\nDemo FAILED: the portal does not hold exactly the expected, updated message.',
		);
		return ok ? 0 : 1;
	} finally {
		n8n?.dispose();
		await portal.close();
		fs.rmSync(packDir, { recursive: true, force: true });
	}
}

main().then(
	(code) => process.exit(code),
	(error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	},
);
