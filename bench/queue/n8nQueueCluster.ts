/**
 * n8n in queue mode as a team would run it: one main process (editor, webhooks, the queue's
 * producer) and W workers that run the executions, all on one PostgreSQL database and one Redis.
 * Each process has its own user folder with this package installed as a community package, its
 * own ports (task runner broker included) and the shared encryption key.
 */
import { randomBytes } from 'node:crypto';
import * as path from 'node:path';

import type { PackedPackage } from '../../scripts/lib/communityPackage';
import { freePort } from '../../scripts/lib/freePort';
import { HeadlessN8n } from '../../scripts/lib/headlessN8n';
import type { N8nInstallation } from '../../scripts/lib/n8nInstall';
import { answers } from '../../scripts/lib/n8nServer';
import type { ChildProcesses, ManagedProcess } from './childProcesses';
import { waitUntilReady } from './childProcesses';
import type { PostgresServer, RedisServer } from './services';

const READY_TIMEOUT_MS = 180_000;

export interface QueueCluster {
	/** Where production webhooks are served. */
	mainUrl: string;
	main: ManagedProcess;
	workers: ManagedProcess[];
}

// freePort() asks the OS for a port that is free now; two asks can get the same answer once the
// first port is released again. Every port of one cluster is therefore taken from here, distinct.
const portsInUse = new Set<number>();

async function distinctFreePort(): Promise<number> {
	for (;;) {
		const port = await freePort();
		if (!portsInUse.has(port)) {
			portsInUse.add(port);
			return port;
		}
	}
}

/** Its own editor port and task runner broker port: every n8n process opens both. */
async function processPorts(): Promise<{ port: number; extraEnv: NodeJS.ProcessEnv }> {
	const port = await distinctFreePort();
	return { port, extraEnv: { N8N_RUNNERS_BROKER_PORT: String(await distinctFreePort()) } };
}

function queueEnvironment(redis: RedisServer, postgres: PostgresServer): NodeJS.ProcessEnv {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '10',
	};
}

interface InstanceOptions {
	installation: N8nInstallation;
	packed: PackedPackage;
	folder: string;
	encryptionKey: string;
	redis: RedisServer;
	postgres: PostgresServer;
}

/** One n8n process of the cluster: its own user folder and ports, the shared queue and database. */
async function queueInstance(
	options: InstanceOptions,
	userFolderName: string,
	logLevel: 'warn' | 'info',
): Promise<HeadlessN8n> {
	const { port, extraEnv } = await processPorts();
	return await HeadlessN8n.create({
		installation: options.installation,
		packed: options.packed,
		userFolder: path.join(options.folder, userFolderName),
		encryptionKey: options.encryptionKey,
		logLevel,
		port,
		extraEnv: { ...queueEnvironment(options.redis, options.postgres), ...extraEnv },
	});
}

/** The CLI side of the main instance: import and publish go to the shared database. */
export async function mainInstance(options: InstanceOptions): Promise<HeadlessN8n> {
	return await queueInstance(options, 'main', 'warn');
}

export async function startQueueCluster(
	options: InstanceOptions & { processes: ChildProcesses; main: HeadlessN8n; workers: number },
): Promise<QueueCluster> {
	const { installation } = options;
	const mainEnv = serverEnv(options.main.env);
	const mainUrl = `http://127.0.0.1:${mainEnv.N8N_PORT}`;
	const main = options.processes.start('n8n main', installation.node, [installation.binary, 'start'], { env: mainEnv });
	await waitUntilReady(main, () => answers(`${mainUrl}/healthz/readiness`), READY_TIMEOUT_MS);

	// Started together: each takes a while to load n8n, and they do not depend on each other.
	const workers = await Promise.all(
		Array.from({ length: options.workers }, async (_, index) => {
			// info: each worker logs "Worker started execution N", which tells how the jobs were spread.
			const instance = await queueInstance(options, `worker-${index + 1}`, 'info');
			const healthPort = await distinctFreePort();
			const env = {
				...serverEnv(instance.env),
				QUEUE_HEALTH_CHECK_ACTIVE: 'true',
				QUEUE_HEALTH_CHECK_PORT: String(healthPort),
				N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			};
			const worker = options.processes.start(
				`n8n worker ${index + 1}`,
				installation.node,
				[installation.binary, 'worker'],
				{ env },
			);
			await waitUntilReady(worker, () => answers(`http://127.0.0.1:${healthPort}/healthz/readiness`), READY_TIMEOUT_MS);
			return worker;
		}),
	);
	return { mainUrl, main, workers };
}

/** Long-running servers use n8n's default expression engine (the CLI helper pins another). */
function serverEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
	const copy = { ...env };
	delete copy.N8N_EXPRESSION_ENGINE;
	return copy;
}

export function randomEncryptionKey(): string {
	return randomBytes(24).toString('hex');
}
