/**
 * Every process the queue benchmark starts is registered here and stopped by its PID: SIGTERM,
 * then SIGKILL after a grace period. Nothing is found by name, so nothing that belongs to
 * someone else on the machine is touched. The processes run in the foreground (no daemons), so
 * the PID we hold is the server itself.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

export interface ManagedProcess {
	name: string;
	child: ChildProcess;
	/** The last part of what it printed, for error messages. */
	output(): string;
	exited: Promise<void>;
}

const OUTPUT_KEPT_CHARS = 20_000;

export class ChildProcesses {
	private readonly running: ManagedProcess[] = [];

	start(name: string, command: string, args: string[], options: SpawnOptions = {}): ManagedProcess {
		const child = spawn(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
		let output = '';
		const keep = (chunk: Buffer) => {
			output = (output + chunk.toString('utf8')).slice(-OUTPUT_KEPT_CHARS);
		};
		child.stdout?.on('data', keep);
		child.stderr?.on('data', keep);
		const exited = new Promise<void>((resolve) => {
			child.once('exit', () => resolve());
			child.once('error', (error) => {
				output += `\n${error.message}`;
				resolve();
			});
		});
		const managed: ManagedProcess = { name, child, output: () => output, exited };
		this.running.push(managed);
		return managed;
	}

	/** Stops every process still running, the most recently started first (workers before Redis). */
	async stopAll(graceMs = 15_000): Promise<void> {
		const stopping = this.running.splice(0).reverse();
		for (const managed of stopping) await stopProcess(managed, graceMs);
	}
}

export async function stopProcess(managed: ManagedProcess, graceMs: number): Promise<void> {
	const { child } = managed;
	if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
	child.kill('SIGTERM');
	const timer = setTimeout(() => {
		console.error(`${managed.name} (pid ${child.pid}) did not stop in ${graceMs / 1000} s: SIGKILL`);
		child.kill('SIGKILL');
	}, graceMs);
	await managed.exited;
	clearTimeout(timer);
}

/** Throws with the process's output if it exits before `ready()` answers true. */
export async function waitUntilReady(
	managed: ManagedProcess,
	ready: () => Promise<boolean>,
	timeoutMs: number,
): Promise<void> {
	const deadline = Date.now() + timeoutMs;
	while (Date.now() < deadline) {
		if (managed.child.exitCode !== null || managed.child.signalCode !== null) {
			throw new Error(
				`${managed.name} exited (${managed.child.exitCode ?? managed.child.signalCode}):\n${managed.output().slice(-4000)}`,
			);
		}
		if (await ready()) return;
		await new Promise((resolve) => setTimeout(resolve, 300));
	}
	throw new Error(`${managed.name} was not ready after ${timeoutMs / 1000} s:\n${managed.output().slice(-4000)}`);
}
