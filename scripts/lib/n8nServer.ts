import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';

import type { N8nInstallation } from './n8nInstall';

export interface RunningN8n {
	url: string;
	process: ChildProcess;
	/** Everything n8n printed so far (for diagnostics). */
	output(): string;
	/** Stops n8n (SIGTERM, then SIGKILL after `graceMs`) and resolves when it has exited. */
	stop(graceMs?: number): Promise<void>;
}

/**
 * Starts `n8n start` and resolves once the editor answers. `inheritOutput` shows n8n's own log
 * (for `npm start`); otherwise it is kept for diagnostics.
 */
export async function startN8nServer(options: {
	installation: N8nInstallation;
	env: NodeJS.ProcessEnv;
	inheritOutput?: boolean;
	readyTimeoutMs?: number;
}): Promise<RunningN8n> {
	const port = Number(options.env.N8N_PORT);
	const url = `http://localhost:${port}`;
	const child = spawn(options.installation.node, [options.installation.binary, 'start'], {
		env: options.env,
		stdio: ['ignore', options.inheritOutput ? 'inherit' : 'pipe', options.inheritOutput ? 'inherit' : 'pipe'],
	});
	let output = '';
	child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
	const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

	const running: RunningN8n = {
		url,
		process: child,
		output: () => output,
		stop: async (graceMs = 10_000) => {
			if (child.exitCode !== null || child.signalCode !== null) return;
			child.kill('SIGTERM');
			const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
			await exited;
			clearTimeout(timer);
		},
	};

	const deadline = Date.now() + (options.readyTimeoutMs ?? 120_000);
	while (Date.now() < deadline) {
		if (child.exitCode !== null || child.signalCode !== null) {
			throw new Error(`n8n start exited early (${child.exitCode ?? child.signalCode}):\n${output.slice(-4000)}`);
		}
		// /healthz answers before the REST controllers are registered (n8n 1.x), so wait for the
		// public settings the editor loads first.
		if ((await answers(`${url}/healthz/readiness`)) && (await answers(`${url}/rest/settings`))) return running;
		await new Promise((resolve) => setTimeout(resolve, 500));
	}
	await running.stop();
	throw new Error(`n8n did not become ready on ${url} in time:\n${output.slice(-4000)}`);
}

/** Whether `url` answers 2xx within 2 s (readiness probes). */
export async function answers(url: string): Promise<boolean> {
	try {
		const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
		return response.ok;
	} catch {
		return false;
	}
}

export interface OwnerAccount {
	email: string;
	password: string;
	firstName: string;
	lastName: string;
}

/**
 * Creates the instance owner on a fresh n8n (what the first screen of the editor asks for) and
 * returns the session cookie. On an instance that already has an owner, logs in instead.
 */
export async function ownerSession(url: string, owner: OwnerAccount): Promise<string> {
	const setup = await fetch(`${url}/rest/owner/setup`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify(owner),
	});
	if (setup.ok) return sessionCookie(setup);
	const login = await fetch(`${url}/rest/login`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		// n8n 1.x named the field `email`, 2.x `emailOrLdapLoginId`; sending both works on either.
		body: JSON.stringify({ email: owner.email, emailOrLdapLoginId: owner.email, password: owner.password }),
	});
	if (!login.ok) {
		throw new Error(`n8n owner setup answered ${setup.status} and login ${login.status}: ${await login.text()}`);
	}
	return sessionCookie(login);
}

function sessionCookie(response: Response): string {
	const cookies = response.headers.getSetCookie().map((cookie) => cookie.split(';')[0]);
	const auth = cookies.find((cookie) => cookie.startsWith('n8n-auth='));
	if (!auth) throw new Error('n8n answered without an n8n-auth session cookie');
	return auth;
}

/** A JSON document the editor loads, read with the owner's session. */
export async function getAsOwner<T>(url: string, path: string, cookie: string): Promise<T> {
	const response = await fetch(`${url}${path}`, { headers: { cookie } });
	if (!response.ok) throw new Error(`GET ${path} answered ${response.status}`);
	return (await response.json()) as T;
}

/** A JSON request the editor makes, with the owner's session (e.g. the credential Test button). */
export async function postAsOwner<T>(url: string, path: string, cookie: string, body: unknown): Promise<T> {
	const response = await fetch(`${url}${path}`, {
		method: 'POST',
		headers: { cookie, 'content-type': 'application/json' },
		body: JSON.stringify(body),
	});
	if (!response.ok) throw new Error(`POST ${path} answered ${response.status}: ${await response.text()}`);
	return (await response.json()) as T;
}
