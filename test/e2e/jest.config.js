/**
 * The real-n8n suite: `npm run test:e2e`. Separate from the unit tests' jest config on purpose:
 * files are named *.e2e.ts so the default `npm test` never picks them up, and each file boots
 * real n8n processes (seconds each), hence the long timeouts.
 */
const path = require('node:path');

module.exports = {
	rootDir: path.resolve(__dirname, '..', '..'),
	testMatch: ['<rootDir>/test/e2e/**/*.e2e.ts'],
	testEnvironment: 'node',
	transform: {
		'^.+\\.ts$': ['ts-jest', { tsconfig: '<rootDir>/test/e2e/tsconfig.json' }],
	},
	globalSetup: '<rootDir>/test/e2e/globalSetup.ts',
	testTimeout: 10 * 60 * 1000,
	// Each file drives its own n8n instance; two at a time fit 2 cores.
	maxWorkers: 2,
	verbose: true,
};
