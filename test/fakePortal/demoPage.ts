/** GET /_demo: the received messages as a small, escaped HTML page (for demos and screenshots). */
import type { StoredMessage } from './types';

export function escapeHtml(text: string): string {
	return text
		.replace(/&/g, '&amp;')
		.replace(/</g, '&lt;')
		.replace(/>/g, '&gt;')
		.replace(/"/g, '&quot;')
		.replace(/'/g, '&#39;');
}

export function renderDemoPage(messages: readonly StoredMessage[]): string {
	const rows = messages
		.map(
			(message) =>
				`<tr><td>${message.id}</td><td>${escapeHtml(message.dialogId)}</td><td><pre>${escapeHtml(message.message)}</pre></td>` +
				`<td>${message.attach === undefined ? '' : escapeHtml(JSON.stringify(message.attach))}</td>` +
				`<td>${message.keyboard === undefined ? '' : escapeHtml(JSON.stringify(message.keyboard))}</td>` +
				`<td>${message.via}/${message.auth}</td></tr>`,
		)
		.join('\n');
	return `<!doctype html>
<html><head><meta charset="utf-8"><title>Fake Bitrix24 portal</title>
<style>body{font-family:sans-serif}td{border-top:1px solid #ccc;vertical-align:top;padding:4px}pre{margin:0;white-space:pre-wrap}</style>
</head><body><h1>Fake Bitrix24 portal: ${messages.length} message(s)</h1>
<table><tr><th>ID</th><th>Dialog</th><th>Message</th><th>Attach</th><th>Keyboard</th><th>Via</th></tr>
${rows}
</table></body></html>
`;
}
