/**
 * Send Message runs over many items, for the transport suites (batch fidelity, throughput):
 * each test gets a portal of its own, so its requests and faults, and the node's pacing for
 * that portal (kept per portal origin for the whole process), never reach another test.
 */
import type { IDataObject, INodeExecutionData, INodeParameters } from 'n8n-workflow';

import { startFakePortal } from '../fakePortal';
import type { FakePortal, FakePortalOptions, HttpRequestLog } from '../fakePortal';
import { fromItem, richJson, sendParameters, webhookCredentials } from './fixtures';
import { runBitrix24 } from './runWorkflow';
import type { RunOptions, RunResult } from './runWorkflow';

/** Starts a new portal for each call and closes them all after the file. */
export function useFreshPortals(): (options?: FakePortalOptions) => Promise<FakePortal> {
	const openPortals: FakePortal[] = [];
	afterAll(async () => {
		await Promise.all(openPortals.map(async (portal) => await portal.close()));
	});
	return async (options: FakePortalOptions = {}) => {
		const portal = await startFakePortal(options);
		openPortals.push(portal);
		return portal;
	};
}

/** One input item: its dialog, its text, and optionally an attachment (as JSON). */
export interface SendItem extends IDataObject {
	dialog: string;
	text: string;
	attach?: IDataObject | IDataObject[];
}

/** Send with every field read from the item; Enterprise (burst 250) so that tests are not paced. */
export function sendItemsParameters(batching: boolean, options: IDataObject = {}): INodeParameters {
	return sendParameters({
		dialogId: { __rl: true, mode: 'id', value: fromItem('dialog') },
		message: fromItem('text'),
		attach: richJson(fromItem('attach')),
		options: { batching, ratePlan: 'enterprise', ...options },
	});
}

/** Runs Send over the items against the portal; `options` go into the node's Options. */
export async function sendItems(
	portal: FakePortal,
	items: SendItem[],
	batching: boolean,
	extra: Partial<RunOptions> & { options?: IDataObject } = {},
): Promise<RunResult> {
	const { options, ...rest } = extra;
	return await runBitrix24({
		credentials: webhookCredentials(portal),
		items,
		parameters: sendItemsParameters(batching, options),
		...rest,
	});
}

export const outputJson = (items: INodeExecutionData[]) => items.map((item) => item.json);

/** The portal's REST requests (not its demo or OAuth pages). */
export const restRequests = (portal: FakePortal): HttpRequestLog[] =>
	portal.httpRequests.filter((request) => request.path.startsWith('/rest/'));
