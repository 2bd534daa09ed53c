import { readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { INodeParameters } from 'n8n-workflow';

export interface ExampleNode {
	name: string;
	type: string;
	parameters: INodeParameters;
}

export interface ExampleWorkflow {
	nodes: ExampleNode[];
	connections: Record<string, Record<string, Array<Array<{ node: string; type: string }>>>>;
}

/** One of the importable workflows in examples/, as a user would import it. */
export function readExampleWorkflow(fileName: string): ExampleWorkflow {
	return JSON.parse(readFileSync(join(__dirname, '..', '..', 'examples', fileName), 'utf8')) as ExampleWorkflow;
}
