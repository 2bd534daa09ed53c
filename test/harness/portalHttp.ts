/** Raw HTTP to the fake portal, for the tests of the portal itself (test/fakePortal-*.test.ts). */
export interface Answer {
	status: number;
	contentType: string;
	body: Record<string, unknown>;
	text: string;
}

export async function send(url: string, init: RequestInit = {}): Promise<Answer> {
	const response = await fetch(url, { signal: AbortSignal.timeout(5000), ...init });
	const text = await response.text();
	let body: Record<string, unknown> = {};
	try {
		body = JSON.parse(text) as Record<string, unknown>;
	} catch {
		body = {};
	}
	return {
		status: response.status,
		contentType: response.headers.get('content-type') ?? '',
		body,
		text,
	};
}

export function postJson(url: string, payload: unknown, headers: Record<string, string> = {}): Promise<Answer> {
	return send(url, {
		method: 'POST',
		headers: { 'content-type': 'application/json', ...headers },
		body: JSON.stringify(payload),
	});
}

export function postForm(url: string, form: string, headers: Record<string, string> = {}): Promise<Answer> {
	return send(url, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: form,
	});
}
