import type {
	INodeProperties,
	INodePropertyCollection,
	INodePropertyOptions,
	INodeTypeDescription,
} from 'n8n-workflow';

/**
 * The shape of a node's parameters as saved workflows hold them, for the versioning rule in
 * docs/versioning.md: a published node version's shapes are locked in test/parameterShapes/
 * (`npm run shapes:lock`), and test/unit/tools/parameterShapes.test.ts fails on any change to a
 * locked shape that a saved workflow would read differently. Additions pass.
 */
export interface ParameterShape {
	type: string;
	/** n8n saves only values that differ from the default, so a new default changes saved nodes. */
	default?: unknown;
	/** The values an `options`/`multiOptions` parameter accepts. */
	values?: Array<string | number | boolean>;
	multipleValues?: boolean;
}

/** One parameter: its path in the saved JSON, the condition it is shown under, its shape. */
export interface ParameterEntry {
	path: string;
	/** `displayOptions.show` without `@version`; a saved value is read only where this holds. */
	show?: Record<string, unknown[]>;
	shape: ParameterShape;
}

type DisplayOptions = INodeProperties['displayOptions'];
/** Whether a parameter exists in node version `version` (n8n's `@version` display condition). */
function existsInVersion(displayOptions: DisplayOptions, version: number): boolean {
	const shown = displayOptions?.show?.['@version'];
	const hidden = displayOptions?.hide?.['@version'];
	const matches = (list: unknown[] | undefined) =>
		list?.some((entry) =>
			typeof entry === 'object' && entry !== null && '_cnd' in entry
				? versionCondition((entry as { _cnd: Record<string, number> })._cnd, version)
				: entry === version,
		);
	if (shown && !matches(shown as unknown[])) return false;
	if (hidden && matches(hidden as unknown[])) return false;
	return true;
}

function versionCondition(condition: Record<string, number>, version: number): boolean {
	return Object.entries(condition).every(([operator, value]) => {
		switch (operator) {
			case 'eq':
				return version === value;
			case 'not':
				return version !== value;
			case 'gte':
				return version >= value;
			case 'lte':
				return version <= value;
			case 'gt':
				return version > value;
			case 'lt':
				return version < value;
			default:
				return true;
		}
	});
}

function showCondition(displayOptions: DisplayOptions): Record<string, unknown[]> | undefined {
	const show = { ...(displayOptions?.show ?? {}) } as Record<string, unknown[]>;
	delete show['@version'];
	return Object.keys(show).length > 0 ? show : undefined;
}

function isCollectionEntry(option: unknown): option is INodePropertyCollection {
	return typeof option === 'object' && option !== null && 'values' in option;
}

function collect(properties: INodeProperties[], prefix: string, version: number, entries: ParameterEntry[]): void {
	for (const property of properties) {
		if (!existsInVersion(property.displayOptions, version)) continue;
		if (property.type === 'notice' || property.type === 'button' || property.type === 'callout') continue;
		const path = `${prefix}${property.name}`;
		const shape: ParameterShape = { type: property.type };
		if (property.type !== 'collection' && property.type !== 'fixedCollection') shape.default = property.default;
		if (property.type === 'options' || property.type === 'multiOptions') {
			shape.values = ((property.options ?? []) as INodePropertyOptions[]).map((option) => option.value);
		}
		if (property.typeOptions?.multipleValues) shape.multipleValues = true;
		const show = showCondition(property.displayOptions);
		entries.push(show ? { path, show, shape } : { path, shape });
		if (property.type === 'collection') {
			collect((property.options ?? []) as INodeProperties[], `${path}.`, version, entries);
		}
		if (property.type === 'fixedCollection') {
			for (const entry of (property.options ?? []).filter(isCollectionEntry)) {
				collect(entry.values, `${path}.${entry.name}.`, version, entries);
			}
		}
	}
}

/** Every parameter of `description` in node version `version`, with its shape. */
export function parameterShapes(description: INodeTypeDescription, version: number): ParameterEntry[] {
	const entries: ParameterEntry[] = [];
	collect(description.properties, '', version, entries);
	return entries;
}

/** The node versions a description serves (`version: 1` or `version: [1, 2]`). */
export function nodeVersions(description: INodeTypeDescription): number[] {
	return Array.isArray(description.version) ? description.version : [description.version];
}

/**
 * Whether a value saved under `locked`'s condition is still read by `current`: same path, and
 * `current` is shown at least wherever `locked` was (each condition's values a superset, no
 * condition added).
 */
function stillShown(locked: ParameterEntry, current: ParameterEntry): boolean {
	if (current.path !== locked.path) return false;
	const before = locked.show ?? {};
	const now = current.show ?? {};
	if (Object.keys(now).some((name) => !(name in before))) return false;
	return Object.entries(now).every(([name, values]) =>
		before[name].every((value) => values.some((candidate) => JSON.stringify(candidate) === JSON.stringify(value))),
	);
}

function describe(entry: ParameterEntry): string {
	return entry.show ? `${entry.path} (shown for ${JSON.stringify(entry.show)})` : entry.path;
}

/** What a workflow saved with the `locked` shapes would find changed in `current`; additions are fine. */
export function breakingChanges(locked: ParameterEntry[], current: ParameterEntry[]): string[] {
	const changes: string[] = [];
	for (const entry of locked) {
		const candidates = current.filter((candidate) => stillShown(entry, candidate));
		if (candidates.length === 0) {
			changes.push(`${describe(entry)}: removed, renamed, moved, or no longer shown where it was`);
			continue;
		}
		const problems = candidates.map((candidate) => shapeChanges(entry.shape, candidate.shape));
		if (problems.some((list) => list.length === 0)) continue;
		changes.push(...problems[0].map((problem) => `${describe(entry)}: ${problem}`));
	}
	return changes;
}

function shapeChanges(before: ParameterShape, now: ParameterShape): string[] {
	const changes: string[] = [];
	if (now.type !== before.type) changes.push(`type ${before.type} became ${now.type}`);
	if (JSON.stringify(now.default) !== JSON.stringify(before.default)) {
		changes.push(`default ${JSON.stringify(before.default)} became ${JSON.stringify(now.default)}`);
	}
	const removed = (before.values ?? []).filter((value) => !(now.values ?? []).includes(value));
	if (removed.length > 0) changes.push(`option value(s) ${removed.join(', ')} no longer accepted`);
	if (Boolean(now.multipleValues) !== Boolean(before.multipleValues)) {
		changes.push(`multiple values ${before.multipleValues ? 'no longer' : 'now'} allowed`);
	}
	return changes;
}
