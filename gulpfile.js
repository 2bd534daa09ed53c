// Copies the files tsc does not emit next to the compiled code in dist/: the SVG icons (n8n
// resolves a node's `file:` icon path relative to the compiled file) and the node's codex
// file (Bitrix24.node.json, which n8n reads beside Bitrix24.node.js).
const { parallel, src, dest } = require('gulp');

function copyIcons() {
	return src('icons/**/*.svg').pipe(dest('dist/icons'));
}

function copyCodex() {
	return src('nodes/**/*.node.json').pipe(dest('dist/nodes'));
}

exports['build:assets'] = parallel(copyIcons, copyCodex);
exports.default = exports['build:assets'];
