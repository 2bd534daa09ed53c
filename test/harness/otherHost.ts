import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the other host received it, with nothing redacted: tests search it for secrets. */
export interface ReceivedRequest {
	method: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: string;
}

export interface OtherHost {
	/** `http://127.0.0.2:PORT`: a different host from the fake portal's 127.0.0.1. */
	readonly url: string;
	readonly host: string;
	readonly received: ReceivedRequest[];
	/** Everything received, as one text: the haystack for "did a secret arrive here?". */
	allText(): string;
	close(): Promise<void>;
}

/**
 * A listener on another loopback address standing in for a host that is not the portal (an
 * attacker's, or a mistyped one). It answers every request the way the portal answers a
 * successful call, `{"result": 5}`, so a client that follows it would take it for success.
 */
export async function startOtherHost(address = '127.0.0.2'): Promise<OtherHost> {
	const received: ReceivedRequest[] = [];
	const server = createServer((req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			received.push({
				method: req.method ?? '',
				path: req.url ?? '',
				headers: { ...req.headers },
				body: Buffer.concat(chunks).toString('utf8'),
			});
			res.writeHead(200, { 'content-type': 'application/json' });
			res.end(JSON.stringify({ result: 5, time: { start: 0, finish: 0 } }));
		});
	});
	server.keepAliveTimeout = 500;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, address, () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://${address}:${port}`,
		host: `${address}:${port}`,
		received,
		allText: () =>
			received
				.map((request) => `${request.method} ${request.path} ${JSON.stringify(request.headers)} ${request.body}`)
				.join('\n'),
		close: async () => {
			const closed = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			await closed;
		},
	};
}
