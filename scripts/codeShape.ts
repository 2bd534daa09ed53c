import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

/**
 * Prints the shape of the node code that a review can recompute: lines per folder, the item loops,
 * import circles between files and between folders, and imports that run against the layer order.
 * `--check` exits 1 when there is a circle, an import against the layers, or more than one item loop,
 * so CI keeps the shape once it is reached.
 *
 * Layers, lowest first. A folder may import its own layer's files and any lower layer; importing
 * a higher layer, or a sibling folder of the same layer (one resource reaching into another), is
 * reported. `nodes/Bitrix24/shared` and `transport` are the floor every other folder stands on.
 */
const LAYERS: Array<{ rank: number; folders: string[] }> = [
	{ rank: 0, folders: ['nodes/Bitrix24/shared'] },
	{ rank: 1, folders: ['nodes/Bitrix24/transport', 'credentials'] },
	{ rank: 2, folders: ['nodes/Bitrix24/text', 'nodes/Bitrix24/rich', 'nodes/Bitrix24/upload'] },
	{ rank: 3, folders: ['nodes/Bitrix24/runner', 'nodes/shared/listening'] },
	{ rank: 4, folders: ['nodes/Bitrix24/sendAndWait', 'nodes/Bitrix24/methods'] },
	{
		rank: 5,
		folders: ['nodes/Bitrix24/message', 'nodes/Bitrix24/chat', 'nodes/Bitrix24/notification', 'nodes/Bitrix24/bot'],
	},
	{ rank: 6, folders: ['nodes/Bitrix24/node', 'nodes/Bitrix24Trigger', 'nodes/Bitrix24BotTrigger'] },
];

/** Folders whose files may import each other although they share a layer. */
const ONE_UNIT = [['nodes/Bitrix24/text', 'nodes/Bitrix24/rich']];

/** The repository: the nearest folder above this file with a package.json (source or compiled). */
function repositoryRoot(from: string): string {
	let dir = from;
	while (!existsSync(join(dir, 'package.json')) || dir.includes('node_modules')) {
		const parent = dirname(dir);
		if (parent === dir) throw new Error('no package.json above ' + from);
		dir = parent;
	}
	return dir;
}

const root = repositoryRoot(__dirname);

function sourceFiles(dir: string): string[] {
	return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
		const path = join(dir, entry.name);
		if (entry.isDirectory()) return sourceFiles(path);
		return entry.name.endsWith('.ts') ? [path] : [];
	});
}

/** Every module path named by an `import … from`, `export … from` or bare `import '…'`. */
export function importedPaths(source: string): string[] {
	const pattern = /^\s*(?:import|export)\s(?:[^'";]*?\sfrom\s)?['"]([^'"]+)['"]/gm;
	return [...source.matchAll(pattern)].map((match) => match[1]);
}

function resolveModule(fromFile: string, specifier: string, known: Set<string>): string | undefined {
	const base = resolve(dirname(fromFile), specifier);
	for (const candidate of [`${base}.ts`, join(base, 'index.ts')]) if (known.has(candidate)) return candidate;
	return undefined;
}

/** The folder a file counts in: its layer folder, or the node file's own pseudo-folder. */
function folderOf(file: string): string {
	const path = relative(root, file);
	if (path === 'nodes/Bitrix24/Bitrix24.node.ts') return 'nodes/Bitrix24/node';
	const layered = LAYERS.flatMap((layer) => layer.folders).find((folder) => path.startsWith(`${folder}/`));
	return layered ?? dirname(path);
}

export function rankOf(folder: string): number | undefined {
	return LAYERS.find((layer) => layer.folders.includes(folder))?.rank;
}

function sameUnit(a: string, b: string): boolean {
	return a === b || ONE_UNIT.some((unit) => unit.includes(a) && unit.includes(b));
}

/** An import from folder `from` into folder `to` runs up a layer, sideways, or out of every layer. */
export function isAgainstLayers(from: string, to: string): boolean {
	if (from === to) return false;
	const fromRank = rankOf(from);
	const toRank = rankOf(to);
	if (fromRank === undefined || toRank === undefined) return true;
	return toRank > fromRank || (toRank === fromRank && !sameUnit(from, to));
}

/** Strongly connected components of more than one node (Tarjan), each sorted. */
export function circles(graph: Map<string, Set<string>>): string[][] {
	let counter = 0;
	const index = new Map<string, number>();
	const low = new Map<string, number>();
	const stack: string[] = [];
	const onStack = new Set<string>();
	const found: string[][] = [];
	const visit = (node: string) => {
		index.set(node, counter);
		low.set(node, counter++);
		stack.push(node);
		onStack.add(node);
		for (const next of graph.get(node) ?? []) {
			if (!index.has(next)) {
				visit(next);
				low.set(node, Math.min(low.get(node)!, low.get(next)!));
			} else if (onStack.has(next)) low.set(node, Math.min(low.get(node)!, index.get(next)!));
		}
		if (low.get(node) === index.get(node)) {
			const component: string[] = [];
			let member: string;
			do {
				member = stack.pop()!;
				onStack.delete(member);
				component.push(member);
			} while (member !== node);
			if (component.length > 1) found.push(component.sort());
		}
	};
	for (const node of graph.keys()) if (!index.has(node)) visit(node);
	return found;
}

function lineCount(file: string): number {
	return readFileSync(file, 'utf8').split('\n').length - 1;
}

export function codeShape() {
	const files = [...sourceFiles(join(root, 'nodes')), ...sourceFiles(join(root, 'credentials'))].sort();
	const known = new Set(files);
	const fileGraph = new Map<string, Set<string>>();
	const folderGraph = new Map<string, Set<string>>();
	const againstLayers: string[] = [];
	for (const file of files) {
		const targets = new Set<string>();
		for (const specifier of importedPaths(readFileSync(file, 'utf8')).filter((path) => path.startsWith('.'))) {
			const target = resolveModule(file, specifier, known);
			if (target) targets.add(target);
		}
		fileGraph.set(file, targets);
		const from = folderOf(file);
		for (const target of targets) {
			const to = folderOf(target);
			if (from === to) continue;
			if (!folderGraph.has(from)) folderGraph.set(from, new Set());
			folderGraph.get(from)!.add(to);
			if (isAgainstLayers(from, to)) {
				againstLayers.push(`${relative(root, file)} → ${relative(root, target)}`);
			}
		}
	}

	const linesPerFolder = new Map<string, number>();
	for (const file of files) {
		const folder = dirname(relative(root, file));
		linesPerFolder.set(folder, (linesPerFolder.get(folder) ?? 0) + lineCount(file));
	}

	// An item loop is code that walks n8n's input items itself: it reads them with getInputData()
	// or decides continue-on-fail. One pipeline means one file does both.
	const itemLoops = files
		.filter((file) => /\.getInputData\(\)|\.continueOnFail\(\)/.test(readFileSync(file, 'utf8')))
		.map((file) => relative(root, file));
	const errorWraps = files.reduce(
		(count, file) =>
			count + (readFileSync(file, 'utf8').match(/new NodeOperationError\([^;]*?error as Error/g)?.length ?? 0),
		0,
	);

	return {
		linesPerFolder: [...linesPerFolder.entries()].sort(([a], [b]) => a.localeCompare(b)),
		totalLines: files.reduce((sum, file) => sum + lineCount(file), 0),
		itemLoops,
		errorWraps,
		fileCircles: circles(fileGraph).map((component) => component.map((file) => relative(root, file))),
		folderCircles: circles(folderGraph),
		againstLayers,
	};
}

if (require.main === module) {
	const shape = codeShape();
	const out: string[] = ['Lines per folder (nodes/ and credentials/, .ts files):'];
	for (const [folder, lines] of shape.linesPerFolder) out.push(`  ${String(lines).padStart(6)}  ${folder}`);
	out.push(`  ${String(shape.totalLines).padStart(6)}  total`);
	out.push('', `Item loops (files that call getInputData() or continueOnFail()): ${shape.itemLoops.length}`);
	for (const file of shape.itemLoops) out.push(`  ${file}`);
	out.push('', `"new NodeOperationError(…, error as Error …)" written: ${shape.errorWraps}`);
	out.push('', `Import circles between files: ${shape.fileCircles.length}`);
	for (const circle of shape.fileCircles) out.push(`  ${circle.join(' ⇄ ')}`);
	out.push(`Import circles between folders: ${shape.folderCircles.length}`);
	for (const circle of shape.folderCircles) out.push(`  ${circle.join(' ⇄ ')}`);
	out.push(
		'',
		`Imports against the layers (upward, sideways between resources, or unlayered): ${shape.againstLayers.length}`,
	);
	for (const line of shape.againstLayers) out.push(`  ${line}`);
	console.log(out.join('\n'));
	if (process.argv.includes('--check')) {
		const problems = shape.fileCircles.length + shape.folderCircles.length + shape.againstLayers.length;
		if (problems > 0 || shape.itemLoops.length > 1) {
			console.error('\ncode shape check failed: see the circles, imports and item loops above');
			process.exit(1);
		}
	}
}
