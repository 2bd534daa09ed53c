import { spawn } from 'node:child_process';

import type { N8nInstallation } from './n8nInstall';

export interface N8nCommandResult {
	args: string[];
	exitCode: number | null;
	signal: NodeJS.Signals | null;
	stdout: string;
	stderr: string;
	milliseconds: number;
}

/** Runs one n8n CLI command to completion with the node that runs this n8n install. */
export function runN8nCommand(
	installation: N8nInstallation,
	env: NodeJS.ProcessEnv,
	args: string[],
	timeoutMs = 5 * 60 * 1000,
): Promise<N8nCommandResult> {
	const started = Date.now();
	const child = spawn(installation.node, [installation.binary, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
	const stdout: Buffer[] = [];
	const stderr: Buffer[] = [];
	child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
	child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
	const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
	return new Promise((resolve, reject) => {
		child.on('error', (error) => {
			clearTimeout(timer);
			reject(error);
		});
		child.on('close', (exitCode, signal) => {
			clearTimeout(timer);
			resolve({
				args,
				exitCode,
				signal,
				stdout: Buffer.concat(stdout).toString('utf8'),
				stderr: Buffer.concat(stderr).toString('utf8'),
				milliseconds: Date.now() - started,
			});
		});
	});
}

/**
 * The CLI arguments that make an imported workflow active for the next `n8n start`. n8n 2.x
 * publishes a workflow version (`publish:workflow`); 1.x has no publishing and sets the workflow
 * active instead.
 */
export function activateWorkflowArgs(n8nVersion: string, workflowId: string): string[] {
	return Number(n8nVersion.split('.')[0]) >= 2
		? ['publish:workflow', `--id=${workflowId}`]
		: ['update:workflow', `--id=${workflowId}`, '--active=true'];
}

/** Throws with n8n's own output when a command that must succeed did not. */
export function assertCommandSucceeded(result: N8nCommandResult): N8nCommandResult {
	return assertExitCode(result, (code) => code === 0, '0');
}

/** Throws with the tail of n8n's output when the exit code is not the expected one. */
export function assertExitCode(
	result: N8nCommandResult,
	accept: (exitCode: number | null) => boolean,
	expected: string,
): N8nCommandResult {
	if (accept(result.exitCode)) return result;
	throw new Error(
		`n8n ${result.args.join(' ')}: expected exit ${expected}, got ${result.exitCode ?? result.signal}\n--- stdout (tail)\n${tail(result.stdout)}\n--- stderr (tail)\n${tail(result.stderr)}`,
	);
}

/**
 * `n8n execute --rawOutput` prints the run (IRun) as pretty JSON through its logger, between
 * other log lines: it starts at a line that is exactly "{" and ends at a line that is exactly "}".
 * Returns undefined when no complete run was printed (the run failed before, or crashed).
 */
export function parseExecuteOutput(stdout: string): ExecutedRun | undefined {
	const lines = stdout.split(/\r?\n/);
	const first = lines.indexOf('{');
	const last = lines.lastIndexOf('}');
	if (first < 0 || last <= first) return undefined;
	try {
		return JSON.parse(lines.slice(first, last + 1).join('\n')) as ExecutedRun;
	} catch {
		return undefined;
	}
}

/** The parts of n8n's IRun the suite reads. */
export interface ExecutedRun {
	status: string;
	finished?: boolean;
	data: {
		resultData: {
			error?: { message?: string; description?: string; node?: { name?: string } };
			lastNodeExecuted?: string;
			runData: Record<string, Array<ExecutedNodeRun>>;
		};
	};
}

export interface ExecutedNodeRun {
	executionStatus?: string;
	error?: { message?: string; description?: string };
	data?: { main: Array<Array<{ json: Record<string, unknown> }> | null> };
}

/** The items a node emitted on one output (0 = main/success, 1 = error output when enabled). */
export function nodeOutputItems(run: ExecutedRun, nodeName: string, outputIndex = 0): Array<Record<string, unknown>> {
	const nodeRuns = run.data.resultData.runData[nodeName];
	if (!nodeRuns || nodeRuns.length === 0) throw new Error(`node "${nodeName}" did not run`);
	const output = nodeRuns[nodeRuns.length - 1].data?.main[outputIndex] ?? [];
	return output.map((item) => item.json);
}

function tail(text: string, lines = 40): string {
	return text.split('\n').slice(-lines).join('\n');
}
