import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import type { CredentialFixture, WorkflowFixture } from './bitrix24Fixtures';
import { installCommunityPackage } from './communityPackage';
import type { PackedPackage } from './communityPackage';
import { freePort } from './freePort';
import { assertCommandSucceeded, parseExecuteOutput, runN8nCommand } from './n8nCli';
import type { ExecutedRun, N8nCommandResult } from './n8nCli';
import { n8nEnvironment } from './n8nEnvironment';
import type { N8nInstallation } from './n8nInstall';

export interface ExecuteOutcome {
	command: N8nCommandResult;
	/** The run n8n printed; undefined when the run failed (n8n prints no run then). */
	run?: ExecutedRun;
}

/**
 * One n8n instance used through its CLI only: its own user folder (database, settings and
 * community packages), encryption key and ports, so several can run side by side.
 */
export class HeadlessN8n {
	private constructor(
		readonly installation: N8nInstallation,
		readonly userFolder: string,
		readonly env: NodeJS.ProcessEnv,
		private readonly ownsFolder: boolean,
	) {}

	static async create(options: {
		installation: N8nInstallation;
		packed?: PackedPackage;
		userFolder?: string;
		/** Default: a random key for a throw-away folder; 'n8n-managed' lets n8n keep its own key in the folder. */
		encryptionKey?: string | 'n8n-managed';
		/** Default: free ports picked at random, so parallel instances never collide. */
		port?: number;
		logLevel?: 'error' | 'warn' | 'info' | 'debug';
		extraEnv?: NodeJS.ProcessEnv;
	}): Promise<HeadlessN8n> {
		const ownsFolder = options.userFolder === undefined;
		const userFolder = options.userFolder ?? fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-bitrix24-'));
		const env = {
			...n8nEnvironment({
				userFolder,
				encryptionKey:
					options.encryptionKey === 'n8n-managed'
						? undefined
						: (options.encryptionKey ?? randomBytes(24).toString('hex')),
				port: options.port ?? (await freePort()),
				runnersBrokerPort: await freePort(),
				// `n8n execute` prints its result at level info.
				logLevel: options.logLevel ?? 'info',
			}),
			// The default 'vm' engine (isolated-vm) makes short-lived CLI commands crash with SIGSEGV
			// at exit about one run in three on n8n 2.41.1, after the run finished; 'legacy' does not.
			// (1.x ignores the variable.) Servers started from this env may override it.
			N8N_EXPRESSION_ENGINE: 'legacy',
			...options.extraEnv,
		};
		if (options.packed) await installCommunityPackage(userFolder, options.packed);
		return new HeadlessN8n(options.installation, userFolder, env, ownsFolder);
	}

	async command(args: string[], timeoutMs?: number): Promise<N8nCommandResult> {
		return await runN8nCommand(this.installation, this.env, args, timeoutMs);
	}

	async importCredentials(credentials: CredentialFixture[]): Promise<void> {
		const file = this.writeJson(`credentials-${Date.now()}.json`, credentials);
		assertCommandSucceeded(await this.command(['import:credentials', `--input=${file}`]));
	}

	async importWorkflows(workflows: WorkflowFixture[]): Promise<void> {
		const file = this.writeJson(`workflows-${Date.now()}.json`, workflows);
		assertCommandSucceeded(await this.command(['import:workflow', `--input=${file}`]));
	}

	async execute(workflowId: string, timeoutMs?: number): Promise<ExecuteOutcome> {
		const command = await this.command(['execute', `--id=${workflowId}`, '--rawOutput'], timeoutMs);
		return { command, run: parseExecuteOutput(command.stdout) };
	}

	/** The stored credential, decrypted: shows what n8n persisted (e.g. refreshed OAuth tokens). */
	async exportCredential(id: string): Promise<CredentialFixture> {
		const file = path.join(this.userFolder, `export-${id}-${Date.now()}.json`);
		assertCommandSucceeded(await this.command(['export:credentials', `--id=${id}`, '--decrypted', `--output=${file}`]));
		const [credential] = JSON.parse(fs.readFileSync(file, 'utf8')) as CredentialFixture[];
		fs.rmSync(file);
		return credential;
	}

	dispose(): void {
		if (this.ownsFolder) fs.rmSync(this.userFolder, { recursive: true, force: true });
	}

	private writeJson(name: string, value: unknown): string {
		const file = path.join(this.userFolder, name);
		fs.writeFileSync(file, JSON.stringify(value, null, '\t'));
		return file;
	}
}
