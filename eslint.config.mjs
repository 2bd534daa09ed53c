import { config } from '@n8n/node-cli/eslint';

// n8n's default config applies unchanged to everything. Only the code that never runs inside n8n
// (tests, the fake portal, the development tools and the benchmark) is freed from the rules that
// exist because node code runs in n8n's sandbox: Node built-ins and globals, the console, child
// processes. Node and credential code (nodes/, credentials/) keep every rule; the unit test
// test/unit/tools/lintConfig.test.ts checks that their effective rules equal n8n's default.
const NOT_RUN_INSIDE_N8N = ['test/**/*.ts', 'scripts/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'];

export default [
	...config,
	{
		files: NOT_RUN_INSIDE_N8N,
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
