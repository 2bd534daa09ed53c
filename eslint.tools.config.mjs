import { config } from '@n8n/node-cli/eslint';

// The lint config of the code that never runs inside n8n: tests, the fake portal, the development
// tools and the benchmark (`npm run lint:tools`). It is n8n's default config with only the rules
// that exist because node code runs in n8n's sandbox turned off: Node built-ins and globals, the
// console, child processes. Node and credential code is linted by `npm run lint` (`n8n-node lint`
// in strict mode, with n8n's unmodified eslint.config.mjs).
export default [
	...config,
	{
		files: ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-restricted-imports': 'off',
			'@n8n/community-nodes/no-restricted-globals': 'off',
			'@n8n/community-nodes/no-dangerous-functions': 'off',
			'no-console': 'off',
		},
	},
	{
		// The fake portal's fixed test secrets and local-only demo accounts are not real secrets.
		files: ['test/**/*.ts'],
		rules: {
			'@n8n/community-nodes/no-hardcoded-secrets': 'off',
		},
	},
];
