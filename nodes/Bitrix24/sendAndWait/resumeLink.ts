/**
 * The links behind the question's buttons: n8n's resume URL for this node, with the answer in the
 * query (`approved=true|false`). n8n signs it (HMAC over path and query) where the running n8n
 * offers `getSignedResumeUrl` (see docs/send-and-wait.md for the versions); there the waiting-webhook server
 * refuses a link whose query was changed, so a Decline link cannot be turned into an Approve one.
 * Older n8n only has the plain `$execution.resumeUrl`.
 *
 * The link is a capability: whoever has it can answer. It is never logged or put in an error.
 */
import type { IExecuteFunctions } from 'n8n-workflow';

type SigningContext = IExecuteFunctions & {
	getSignedResumeUrl?: (parameters?: Record<string, string>) => string;
	/** Newer n8n: marks the execution so that its waiting webhook checks the signature. */
	setSignatureValidationRequired?: () => void;
};

export interface ResumeLinks {
	/** Whether the links carry n8n's signature. */
	signed: boolean;
	link(query: Record<string, string>): string;
}

export function resumeLinks(context: IExecuteFunctions): ResumeLinks {
	const signing = context as SigningContext;
	if (typeof signing.getSignedResumeUrl === 'function') {
		if (typeof signing.setSignatureValidationRequired === 'function') signing.setSignatureValidationRequired();
		return { signed: true, link: (query) => signing.getSignedResumeUrl!(query) };
	}
	// The waiting webhook's path is `<resumeUrl>/<node ID>` (the webhook path is `$nodeId`).
	const resumeUrl = String(context.evaluateExpression('{{ $execution.resumeUrl }}', 0));
	const nodeId = context.getNode().id;
	return {
		signed: false,
		link: (query) => {
			const url = new URL(resumeUrl);
			url.pathname = `${url.pathname.replace(/\/+$/, '')}/${nodeId}`;
			for (const [key, value] of Object.entries(query)) url.searchParams.set(key, value);
			return url.toString();
		},
	};
}
