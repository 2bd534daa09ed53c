export interface N8nEnvironmentOptions {
	/** N8N_USER_FOLDER: n8n keeps its database, settings and community packages under <folder>/.n8n. */
	userFolder: string;
	/**
	 * Encrypts stored credentials; import, execute and export must use the same key. When absent,
	 * n8n generates one on first use and keeps it in <userFolder>/.n8n/config (persistent folders).
	 */
	encryptionKey?: string;
	/** Editor/REST port (n8n start). Distinct per parallel run. */
	port: number;
	/** Task runner broker port: every n8n process opens it, even `n8n execute`; distinct per parallel run. */
	runnersBrokerPort: number;
	logLevel?: 'error' | 'warn' | 'info' | 'debug';
}

/**
 * The environment for an n8n process that must stay on this machine: every feature that
 * calls out to n8n's servers is switched off (telemetry, version checks, templates, banners,
 * license renewal, AI assistant), and nothing is read from or written to the user's ~/.n8n.
 * Inherited N8N_* / DB_* variables are dropped so a developer's own n8n settings cannot leak in.
 */
export function n8nEnvironment(
	options: N8nEnvironmentOptions,
	base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
	const inherited = Object.fromEntries(
		Object.entries(base).filter(
			// NODE_ENV=test (set by jest) makes n8n refuse to load nodes ("Not available in tests").
			([name]) =>
				!/^(N8N_|DB_|QUEUE_|EXECUTIONS_|JEST_|GENERIC_TIMEZONE$|WEBHOOK_URL$|NODE_ENV$|NODE_OPTIONS$)/.test(name),
		),
	);
	const env: NodeJS.ProcessEnv = {
		...inherited,
		NODE_ENV: 'production',
		N8N_USER_FOLDER: options.userFolder,
		N8N_PORT: String(options.port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: 'localhost',
		N8N_PROTOCOL: 'http',
		N8N_RUNNERS_BROKER_PORT: String(options.runnersBrokerPort),
		N8N_RUNNERS_BROKER_LISTEN_ADDRESS: '127.0.0.1',
		N8N_LOG_LEVEL: options.logLevel ?? 'warn',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		GENERIC_TIMEZONE: 'UTC',
		// Loaded from <userFolder>/.n8n/nodes/node_modules, exactly where n8n installs community packages.
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_REINSTALL_MISSING_PACKAGES: 'false',
		// No calls home.
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_DIAGNOSTICS_CONFIG_FRONTEND: '',
		N8N_DIAGNOSTICS_CONFIG_BACKEND: '',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_WHATS_NEW_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_DYNAMIC_BANNERS_ENABLED: 'false',
		N8N_LICENSE_AUTO_RENEW_ENABLED: 'false',
		N8N_AI_ENABLED: 'false',
		N8N_PYTHON_ENABLED: 'false',
		EXTERNAL_FRONTEND_HOOKS_URLS: '',
		// The fake portal listens on 127.0.0.1; keep it reachable even if a future default blocks private ranges.
		N8N_SSRF_PROTECTION_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'true',
		N8N_SECURE_COOKIE: 'false',
		N8N_PUBLIC_API_DISABLED: 'true',
	};
	if (options.encryptionKey !== undefined) env.N8N_ENCRYPTION_KEY = options.encryptionKey;
	return env;
}
