/**
 * What n8n's HTTP Request node does with one item per request: a sequential POST to
 * im.message.add per message, no pacing, no retry. A 503 is a lost message.
 */
import { Agent, request } from 'undici';

export interface BaselineResult {
	requests: number;
	ok: number;
	refused503: number;
	otherFailures: number;
}

export async function sendOneByOne(webhookUrl: string, dialogId: string, texts: string[]): Promise<BaselineResult> {
	const dispatcher = new Agent({ keepAliveTimeout: 10_000 });
	const result: BaselineResult = { requests: 0, ok: 0, refused503: 0, otherFailures: 0 };
	try {
		for (const text of texts) {
			result.requests++;
			const response = await request(`${webhookUrl}im.message.add.json`, {
				method: 'POST',
				headers: { 'content-type': 'application/json' },
				body: JSON.stringify({ DIALOG_ID: dialogId, MESSAGE: text }),
				dispatcher,
			});
			const body = (await response.body.json()) as { result?: unknown; error?: string };
			if (response.statusCode === 200 && body.result !== undefined) result.ok++;
			else if (response.statusCode === 503) result.refused503++;
			else result.otherFailures++;
		}
	} finally {
		await dispatcher.close();
	}
	return result;
}
