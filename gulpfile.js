// Copies the SVG icons next to the compiled code: tsc only emits .js, and n8n resolves a
// node's `file:` icon path relative to the compiled node file in dist/.
const { src, dest } = require('gulp');

function copyIcons() {
	return src('icons/**/*.svg').pipe(dest('dist/icons'));
}

exports['build:icons'] = copyIcons;
exports.default = copyIcons;
