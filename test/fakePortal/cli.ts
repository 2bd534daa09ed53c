/**
 * Starts a fake portal from the command line and prints one JSON line
 * { url, webhookUrl, tokenUrl, restUrl, demoUrl } on stdout, then serves until SIGINT/SIGTERM.
 *
 *   node node_modules/.cache/bitrix24-tools/test/fakePortal/cli.js [--port=N] [--rate-limit=CAPACITY/DRAIN_PER_S] [--latency-ms=N]
 *
 * Environment variables FAKE_PORTAL_PORT, FAKE_PORTAL_RATE_LIMIT ("50/2") and
 * FAKE_PORTAL_LATENCY_MS are read when the matching flag is absent.
 */
import { startFakePortal } from './index';
import type { FakePortal, FakePortalOptions } from './types';

function option(name: string, envName: string): string | undefined {
	const prefix = `--${name}=`;
	const flag = process.argv.slice(2).find((argument) => argument.startsWith(prefix));
	return flag !== undefined ? flag.slice(prefix.length) : process.env[envName];
}

function nonNegativeNumber(text: string, what: string): number {
	const value = Number(text);
	if (!Number.isFinite(value) || value < 0)
		throw new Error(`${what} must be a non-negative number, got '${text}'`);
	return value;
}

export function optionsFromCommandLine(): FakePortalOptions {
	const options: FakePortalOptions = {};
	const port = option('port', 'FAKE_PORTAL_PORT');
	if (port !== undefined && port !== '') options.port = nonNegativeNumber(port, 'port');
	const rateLimit = option('rate-limit', 'FAKE_PORTAL_RATE_LIMIT');
	if (rateLimit !== undefined && rateLimit !== '' && rateLimit !== 'off') {
		const [capacity, drain] = rateLimit.split('/');
		options.rateLimit = {
			capacity: nonNegativeNumber(capacity, 'rate limit capacity'),
			drainPerSecond: nonNegativeNumber(drain ?? '', 'rate limit drain per second'),
		};
	}
	const latency = option('latency-ms', 'FAKE_PORTAL_LATENCY_MS');
	if (latency !== undefined && latency !== '')
		options.latencyMs = nonNegativeNumber(latency, 'latency');
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
