import type { INode } from 'n8n-workflow';

import { runBitrix24 } from './harness/runWorkflow';
import type { RunResult } from './harness/runWorkflow';
import { sendParameters, useFakePortal, WEBHOOK_CODE, webhookCredentials } from './harness/fixtures';
import type { FakePortal } from './fakePortal';

const portal = useFakePortal();

/** Everything reachable from a value, including errors' non-enumerable message, stack and cause. */
function deepText(value: unknown, seen = new WeakSet<object>()): string {
	if (value === null || typeof value !== 'object') return String(value);
	if (seen.has(value)) return '';
	seen.add(value);
	const keys = new Set([...Object.keys(value), ...Object.getOwnPropertyNames(value)]);
	if (value instanceof Error) ['message', 'stack', 'cause', 'description'].forEach((key) => keys.add(key));
	let text = '';
	for (const key of keys) {
		try {
			text += ` ${key}=${deepText((value as Record<string, unknown>)[key], seen)}`;
		} catch {
			// getters that throw are not data
		}
	}
	return text;
}

/** Runs the node while recording everything written to stdout/stderr and the console. */
async function runCapturingLogs(setup: (p: FakePortal) => void, onError?: INode['onError'], parameters = sendParameters()) {
	const logged: string[] = [];
	const record = (chunk: unknown) => {
		logged.push(String(chunk));
		return true;
	};
	const spies = [
		jest.spyOn(process.stdout, 'write').mockImplementation(record),
		jest.spyOn(process.stderr, 'write').mockImplementation(record),
		...(['log', 'info', 'warn', 'error', 'debug'] as const).map((name) =>
			jest.spyOn(console, name).mockImplementation((...args: unknown[]) => void logged.push(args.map((arg) => deepText(arg)).join(' '))),
		),
	];
	setup(portal());
	let result: RunResult;
	try {
		result = await runBitrix24({ credentials: webhookCredentials(portal()), parameters, onError });
	} finally {
		spies.forEach((spy) => spy.mockRestore());
	}
	return { result, logged: logged.join('\n') };
}

const PATHS: Array<[string, (p: FakePortal) => void]> = [
	['success', () => undefined],
	['Bitrix24 error', (p) => p.inject({ kind: 'error', code: 'ACCESS_ERROR', description: 'Action unavailable', status: 403 })],
	['revoked webhook', (p) => p.revokeWebhook()],
	['missing scope', (p) => p.setWebhookScopes(['user'])],
	['HTML 502', (p) => p.inject({ kind: 'html502', method: '*' })],
	['connection dropped after sending', (p) => p.inject({ kind: 'dropAfterCreate' })],
	['500 after creating', (p) => p.inject({ kind: 'status500AfterCreate' })],
];

describe.each([undefined, 'continueRegularOutput', 'continueErrorOutput'] as const)('with onError %s', (onError) => {
	it.each(PATHS)('the webhook secret appears in no error, output or log: %s', async (_label, setup) => {
		const { result, logged } = await runCapturingLogs(setup, onError);
		// The run did something observable (otherwise the check below proves nothing).
		expect(result.output.length + result.errorOutput.length + (result.error ? 1 : 0)).toBeGreaterThan(0);
		expect(deepText(result.run)).not.toContain(WEBHOOK_CODE);
		expect(deepText(result.error)).not.toContain(WEBHOOK_CODE);
		expect(logged).not.toContain(WEBHOOK_CODE);
	});
});

it('the secret is not in the message of an unreachable-portal error either', async () => {
	const webhookCode = 'dummyUnreachableCode987';
	const result = await runBitrix24({
		credentials: { bitrix24WebhookApi: { webhookUrl: `http://127.0.0.1:1/rest/1/${webhookCode}/` } },
		parameters: sendParameters({ options: { maxRetryWaitSeconds: 0 } }),
	});
	expect(result.status).toBe('error');
	expect(deepText(result.run)).not.toContain(webhookCode);
});
