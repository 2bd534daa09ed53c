import { optionsFromCommandLine } from '../../fakePortal/cli';

describe('fake portal command line', () => {
	it('reads port, rate limit and latency from flags', () => {
		expect(optionsFromCommandLine(['--port=5690', '--rate-limit=50/2', '--latency-ms=15'], {})).toEqual({
			port: 5690,
			rateLimit: { capacity: 50, drainPerSecond: 2 },
			latencyMs: 15,
		});
	});

	it('falls back to the environment when a flag is absent, and a flag wins over it', () => {
		const env = { FAKE_PORTAL_PORT: '7000', FAKE_PORTAL_RATE_LIMIT: '10/1', FAKE_PORTAL_LATENCY_MS: '5' };
		expect(optionsFromCommandLine([], env)).toEqual({
			port: 7000,
			rateLimit: { capacity: 10, drainPerSecond: 1 },
			latencyMs: 5,
		});
		expect(optionsFromCommandLine(['--port=0', '--rate-limit=off', '--latency-ms='], env)).toEqual({ port: 0 });
	});

	it('rejects unknown flags and bad numbers, naming them', () => {
		expect(() => optionsFromCommandLine(['--rate-limt=50/2'], {})).toThrow(/rate-limt/);
		expect(() => optionsFromCommandLine(['--port=-1'], {})).toThrow("port must be a non-negative number, got '-1'");
		expect(() => optionsFromCommandLine(['--latency-ms=soon'], {})).toThrow(
			"latency must be a non-negative number, got 'soon'",
		);
	});
});
