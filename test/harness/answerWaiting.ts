/**
 * The second half of Send and Wait for Response: the request n8n hands to the node's webhook()
 * when someone opens a button's link or submits the form, run through n8n-core's own
 * WebhookContext with the waiting execution's data (as n8n's waiting-webhook server does).
 */
import { WebhookContext } from 'n8n-core';
import type { IDataObject, IWebhookData, IWebhookResponseData } from 'n8n-workflow';

import { Bitrix24 } from '../../nodes/Bitrix24/Bitrix24.node';
import { BITRIX24_NODE_NAME, buildWorkflow, createAdditionalData } from './runWorkflow';
import type { RunOptions, RunResult } from './runWorkflow';

export interface WebhookRequest {
	method: 'GET' | 'POST';
	/** The link's query (e.g. approved=true); defaults to what the Approve button carries. */
	query?: Record<string, string>;
	headers?: Record<string, string>;
	body?: IDataObject;
}

export interface WebhookReply {
	result: IWebhookResponseData;
	/** A page n8n would render from its own templates (the form page). */
	rendered?: { view: string; data: IDataObject; headers: Record<string, string> };
	/** What the node wrote to the response itself. */
	sent?: { status: number; body: unknown };
}

export const BROWSER_USER_AGENT =
	'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

/** Calls the node's webhook() for the execution `waiting` left, with the same workflow and credentials. */
export async function answerWaiting(
	options: RunOptions,
	waiting: RunResult,
	request: WebhookRequest,
): Promise<WebhookReply> {
	const { workflow, nodes, store } = buildWorkflow({ ...options, store: waiting.store });
	const { additionalData } = createAdditionalData(store, workflow, nodes);
	const reply: Partial<WebhookReply> = {};
	let status = 200;
	const headers: Record<string, string> = {};
	const response = {
		setHeader(name: string, value: string) {
			headers[name.toLowerCase()] = value;
			return response;
		},
		render(view: string, data: IDataObject) {
			reply.rendered = { view, data, headers: { ...headers } };
		},
		status(code: number) {
			status = code;
			return response;
		},
		send(body: unknown) {
			reply.sent = { status, body };
			return response;
		},
	};
	additionalData.httpRequest = {
		method: request.method,
		query: request.query ?? {},
		headers: { 'user-agent': BROWSER_USER_AGENT, ...request.headers },
		body: request.body ?? {},
		params: {},
	} as unknown as typeof additionalData.httpRequest;
	additionalData.httpResponse = response as unknown as typeof additionalData.httpResponse;

	const node = workflow.getNode(BITRIX24_NODE_NAME)!;
	const webhookData = {
		httpMethod: request.method,
		node: node.name,
		path: node.id,
		workflowId: workflow.id,
		webhookDescription: { name: 'default', httpMethod: request.method, path: '={{ $nodeId }}', restartWebhook: true },
	} as unknown as IWebhookData;
	const context = new WebhookContext(workflow, node, additionalData, 'webhook', webhookData, [], waiting.run.data);
	reply.result = await new Bitrix24().webhook.call(context);
	return reply as WebhookReply;
}
