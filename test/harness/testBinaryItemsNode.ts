import { NodeConnectionTypes } from 'n8n-workflow';
import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeType, INodeTypeDescription } from 'n8n-workflow';

/** A file a test hands to the workflow: registered here, referred to by a token in the parameters. */
export interface TestFile {
	bytes: Buffer;
	fileName?: string;
	mimeType?: string;
	/**
	 * Overrides the size n8n records for the file (binary.bytes), to test the 100 MB limit
	 * without building a 100 MB file on a shared test machine.
	 */
	claimedBytes?: number;
}

/** An input item with binary properties: property name → token from registerTestFile. */
export interface BinaryTestItem {
	json?: IDataObject;
	binary?: Record<string, string>;
}

// Kept out of the node parameters: n8n resolves and copies parameters, which would make a
// 5 MB file slow to pass that way.
const registeredFiles = new Map<string, TestFile>();

export function registerTestFile(file: TestFile): string {
	const token = `test-file-${registeredFiles.size + 1}`;
	registeredFiles.set(token, file);
	return token;
}

/** Emits items with binary data stored through n8n's own helper, as Convert to File does. */
export class TestBinaryItems implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Test Binary Items',
		name: 'testBinaryItems',
		group: ['input'],
		version: 1,
		description: 'Emits fixed items with binary files',
		defaults: { name: 'Test Binary Items' },
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		properties: [{ displayName: 'Items', name: 'items', type: 'json', default: '[]' }],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const raw = this.getNodeParameter('items', 0) as string;
		const items = JSON.parse(raw) as BinaryTestItem[];
		const output: INodeExecutionData[] = [];
		for (const item of items) {
			const binary: INodeExecutionData['binary'] = {};
			for (const [property, token] of Object.entries(item.binary ?? {})) {
				const file = registeredFiles.get(token);
				if (!file) throw new Error(`No test file registered as ${token}`);
				binary[property] = await this.helpers.prepareBinaryData(file.bytes, file.fileName, file.mimeType);
				if (file.claimedBytes !== undefined) binary[property].bytes = file.claimedBytes;
			}
			output.push({ json: item.json ?? {}, binary, pairedItem: { item: 0 } });
		}
		return [output];
	}
}
