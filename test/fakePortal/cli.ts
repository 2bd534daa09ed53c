/**
 * Starts a fake portal from the command line and prints one JSON line
 * { url, webhookUrl, tokenUrl, restUrl, demoUrl } on stdout, then serves until SIGINT/SIGTERM.
 *
 *   node node_modules/.cache/bitrix24-tools/test/fakePortal/cli.js [--port=N] [--rate-limit=CAPACITY/DRAIN_PER_S] [--latency-ms=N]
 *
 * Environment variables FAKE_PORTAL_PORT, FAKE_PORTAL_RATE_LIMIT ("50/2") and
 * FAKE_PORTAL_LATENCY_MS are read when the matching flag is absent.
 */
import { parseArgs } from 'node:util';

import { startFakePortal } from './index';
import type { FakePortal, FakePortalOptions } from './types';

function nonNegativeNumber(text: string, what: string): number {
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0) throw new Error(`${what} must be a non-negative number, got '${text}'`);
	return value;
}

/**
 * A flag wins over its environment variable, even when empty; an empty value (or "off" for the
 * rate limit) means the portal's default. Unknown flags are an error, so a typo cannot pass silently.
 */
export function optionsFromCommandLine(
	args: string[] = process.argv.slice(2),
	env: NodeJS.ProcessEnv = process.env,
): FakePortalOptions {
	const { values } = parseArgs({
		args,
		options: {
			port: { type: 'string' },
			'rate-limit': { type: 'string' },
			'latency-ms': { type: 'string' },
		},
		strict: true,
		allowPositionals: false,
	});
	const options: FakePortalOptions = {};
	const port = values.port ?? env.FAKE_PORTAL_PORT;
	if (port !== undefined && port !== '') options.port = nonNegativeNumber(port, 'port');
	const rateLimit = values['rate-limit'] ?? env.FAKE_PORTAL_RATE_LIMIT;
	if (rateLimit !== undefined && rateLimit !== '' && rateLimit !== 'off') {
		const [capacity, drain] = rateLimit.split('/');
		options.rateLimit = {
			capacity: nonNegativeNumber(capacity, 'rate limit capacity'),
			drainPerSecond: nonNegativeNumber(drain ?? '', 'rate limit drain per second'),
		};
	}
	const latency = values['latency-ms'] ?? env.FAKE_PORTAL_LATENCY_MS;
	if (latency !== undefined && latency !== '') options.latencyMs = nonNegativeNumber(latency, 'latency');
	return options;
}

async function main(): Promise<void> {
	const portal = await startFakePortal(optionsFromCommandLine());
	const { url, webhookUrl, tokenUrl, restUrl } = portal;
	console.log(JSON.stringify({ url, webhookUrl, tokenUrl, restUrl, demoUrl: `${url}/_demo` }));
	stopOnSignals(portal);
}

/** Closes the portal and exits on SIGINT/SIGTERM (and on any extra event given, e.g. 'disconnect'). */
export function stopOnSignals(portal: FakePortal, ...extraEvents: Array<'disconnect'>): void {
	const stop = (): void => {
		portal.close().then(
			() => process.exit(0),
			() => process.exit(1),
		);
	};
	process.once('SIGINT', stop);
	process.once('SIGTERM', stop);
	for (const event of extraEvents) process.once(event, stop);
}

if (require.main === module) {
	main().catch((error: unknown) => {
		console.error(error instanceof Error ? error.message : error);
		process.exit(1);
	});
}
