/**
 * Redis and PostgreSQL for n8n's queue mode, from Debian's packages, each in a temporary folder
 * on a free loopback port, in the foreground as children of the benchmark. The system services
 * the packages install are not used (nor started or stopped).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { freePort } from '../../scripts/lib/freePort';
import type { ChildProcesses } from './childProcesses';
import { waitUntilReady } from './childProcesses';

const POSTGRES_PACKAGE = 'postgresql';
const REDIS_PACKAGE = 'redis-server';

function hasCommand(command: string): boolean {
	return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** The newest PostgreSQL server Debian installed (/usr/lib/postgresql/<major>/bin). */
function postgresBinDir(): string | undefined {
	const root = '/usr/lib/postgresql';
	if (!fs.existsSync(root)) return undefined;
	const majors = fs
		.readdirSync(root)
		.filter((major) => fs.existsSync(path.join(root, major, 'bin', 'postgres')))
		.sort((a, b) => Number(b) - Number(a));
	return majors.length > 0 ? path.join(root, majors[0], 'bin') : undefined;
}

/** Installs redis-server and postgresql with apt-get when they are missing (needs root, as in CI). */
export function ensureServerPackages(): { postgresBin: string } {
	const missing: string[] = [];
	if (!hasCommand('redis-server')) missing.push(REDIS_PACKAGE);
	if (postgresBinDir() === undefined) missing.push(POSTGRES_PACKAGE);
	if (missing.length > 0) {
		if (process.getuid?.() !== 0) {
			throw new Error(
				`Missing ${missing.join(' and ')}: install them (apt-get install ${missing.join(' ')}) or run as root`,
			);
		}
		console.log(`Installing ${missing.join(' ')} with apt-get`);
		const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
		execFileSync('apt-get', ['update', '-qq'], { stdio: 'inherit', env });
		execFileSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { stdio: 'inherit', env });
	}
	const postgresBin = postgresBinDir();
	if (postgresBin === undefined)
		throw new Error('PostgreSQL is installed but /usr/lib/postgresql/<version>/bin/postgres is missing');
	return { postgresBin };
}

export interface RedisServer {
	host: string;
	port: number;
}

export async function startRedis(processes: ChildProcesses, folder: string): Promise<RedisServer> {
	const port = await freePort();
	const dir = path.join(folder, 'redis');
	fs.mkdirSync(dir, { recursive: true });
	const redis = processes.start('redis-server', 'redis-server', [
		'--port',
		String(port),
		'--bind',
		'127.0.0.1',
		'--daemonize',
		'no',
		'--save',
		'',
		'--appendonly',
		'no',
		'--dir',
		dir,
	]);
	await waitUntilReady(redis, () => redisAnswersPing(port), 30_000);
	return { host: '127.0.0.1', port };
}

function redisAnswersPing(port: number): Promise<boolean> {
	return new Promise((resolve) => {
		const socket = net.connect({ port, host: '127.0.0.1' });
		socket.setTimeout(1000);
		socket.once('connect', () => socket.write('PING\r\n'));
		socket.once('data', (data) => {
			socket.destroy();
			resolve(data.toString().startsWith('+PONG'));
		});
		socket.once('error', () => resolve(false));
		socket.once('timeout', () => {
			socket.destroy();
			resolve(false);
		});
	});
}

export interface PostgresServer {
	host: string;
	port: number;
	database: string;
	user: string;
	password: string;
	/** Runs one SQL statement with psql and returns its unaligned rows. */
	query(sql: string): string;
}

/**
 * initdb into a new folder and `postgres` in the foreground. PostgreSQL refuses to run as root,
 * so as root both run as the `postgres` account the Debian package creates (the folder is handed
 * over to it); as anyone else, as that user.
 */
export async function startPostgres(
	processes: ChildProcesses,
	folder: string,
	postgresBin: string,
): Promise<PostgresServer> {
	const port = await freePort();
	const dataDir = path.join(folder, 'postgres');
	fs.mkdirSync(dataDir, { recursive: true, mode: 0o700 });
	const account = process.getuid?.() === 0 ? systemAccount('postgres') : undefined;
	if (account) fs.chownSync(dataDir, account.uid, account.gid);
	const asAccount = account ? { uid: account.uid, gid: account.gid } : {};
	const user = 'n8n';
	const database = 'n8n';

	const initdb = spawnSync(
		path.join(postgresBin, 'initdb'),
		['-D', dataDir, '-U', user, '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync'],
		{ ...asAccount, cwd: os.tmpdir(), encoding: 'utf8' },
	);
	if (initdb.status !== 0) throw new Error(`initdb failed:\n${initdb.stdout}\n${initdb.stderr}`);

	const server = processes.start(
		'postgres',
		path.join(postgresBin, 'postgres'),
		[
			'-D',
			dataDir,
			'-p',
			String(port),
			'-c',
			'listen_addresses=127.0.0.1',
			'-c',
			`unix_socket_directories=${dataDir}`,
			// A throw-away database: durability only costs time here.
			'-c',
			'fsync=off',
			'-c',
			'synchronous_commit=off',
			'-c',
			'full_page_writes=off',
			'-c',
			'max_connections=200',
		],
		{ ...asAccount, cwd: os.tmpdir() },
	);
	const psql = (sql: string, db = database): { status: number | null; stdout: string; stderr: string } =>
		spawnSync(
			path.join(postgresBin, 'psql'),
			['-h', '127.0.0.1', '-p', String(port), '-U', user, '-d', db, '-Atq', '-v', 'ON_ERROR_STOP=1', '-c', sql],
			{
				encoding: 'utf8',
				timeout: 30_000,
			},
		);
	await waitUntilReady(server, async () => psql('select 1', 'postgres').status === 0, 60_000);
	const created = psql(`create database ${database}`, 'postgres');
	if (created.status !== 0) throw new Error(`create database failed: ${created.stderr}`);
	return {
		host: '127.0.0.1',
		port,
		database,
		user,
		password: '',
		query(sql) {
			const result = psql(sql);
			if (result.status !== 0) throw new Error(`psql: ${result.stderr.trim()}`);
			return result.stdout.trim();
		},
	};
}

function systemAccount(name: string): { uid: number; gid: number } {
	const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
	const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
	if (!Number.isInteger(uid) || !Number.isInteger(gid)) throw new Error(`no system account "${name}"`);
	return { uid, gid };
}
