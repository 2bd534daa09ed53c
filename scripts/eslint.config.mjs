// `npm run lint` (n8n-node lint) lints the node package only. It sets ESLint's
// unstable_config_lookup_from_file flag, so ESLint reads this file for this folder, and the folder
// is left to `npm run lint:tools`, which lints it with eslint.tools.config.mjs.
export default [{ ignores: ['**'] }];
