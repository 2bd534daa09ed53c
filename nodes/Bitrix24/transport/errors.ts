import { NodeApiError } from 'n8n-workflow';
import type { INode, JsonObject } from 'n8n-workflow';

import type { FailureClass } from './retryPolicy';

/**
 * Bitrix24's error envelope, turned into n8n errors. Bitrix24 answers `{error, error_description}`
 * with a status that depends on the code (and `error` may even come with HTTP 200 inside a batch),
 * so failures are recognised by the envelope, never by the HTTP status alone.
 */
export interface Bitrix24Failure {
	/** Bitrix24's error code, or for a connection failure the network code (ECONNREFUSED…). */
	code: string;
	description: string;
	httpStatus?: number;
	/** What the transport may do about it; decided once, where the failure is read. */
	verdict: FailureClass;
	/** True when the request may have been executed: the message may or may not exist. */
	deliveryUnknown?: boolean;
	/** The connection itself failed: the description says so in words, the code stays in the details. */
	network?: boolean;
	/** `time.operating_reset_at` (unix seconds) that came with an OPERATION_TIME_LIMIT refusal. */
	operatingResetAt?: number;
	/** The answer's Retry-After header, in ms. */
	retryAfterMs?: number;
	/** For insufficient_scope: the scope the refused method needs, when it is not "im". */
	neededScope?: string;
	/**
	 * An earlier attempt of this same call got no answer and was asked again: that attempt may have
	 * done what was asked, so an "already done" answer now is expected rather than a mistake.
	 */
	afterLostAnswer?: boolean;
}

/** A failure read from an answer: its verdict decides retry, wait or fail; an ambiguous one is uncertain. */
export function failureOf(fields: Omit<Bitrix24Failure, 'deliveryUnknown'>): Bitrix24Failure {
	const failure: Bitrix24Failure = { ...fields };
	if (fields.verdict === 'ambiguous') failure.deliveryUnknown = true;
	return failure;
}

const HINTS: Record<string, string> = {
	insufficient_scope:
		'The webhook or application needs the "im" scope (Chat and notifications): add it in Bitrix24 and try again.',
	INVALID_CREDENTIALS:
		'Check the Bitrix24 credential: the webhook may have been deleted or re-created (copy its current URL).',
	NO_AUTH_FOUND:
		'Check the Bitrix24 credential: the webhook may have been deleted or re-created (copy its current URL).',
	invalid_token: 'Reconnect the Bitrix24 OAuth2 credential.',
	ACCESS_ERROR: 'The Bitrix24 user behind the credential may not post in this chat.',
	USER_NOT_FOUND: 'Check the dialog ID: no user has this ID on the portal.',
	QUERY_LIMIT_EXCEEDED: 'Bitrix24 rate limit: the node waited and retried up to its maximum retry wait.',
	OPERATION_TIME_LIMIT: 'Bitrix24 method time limit: the node waited and retried up to its maximum retry wait.',
	INVALID_REQUEST: 'Bitrix24 cloud portals require https:// in the URL.',
	ERROR_METHOD_NOT_FOUND: 'Check the portal URL: this path does not lead to the Bitrix24 REST API.',
	CANT_EDIT_MESSAGE:
		'Only the author can change or delete a message, and only within the edit window; a message that was already deleted cannot be changed either.',
	MESSAGE_ID_ERROR: 'Check the message ID: Bitrix24 knows no message with this ID.',
	ACCESS_DENIED_EXTEND: 'The Bitrix24 user behind the credential may not add people to this chat.',
	WITHOUT_CHANGES:
		'Bitrix24 answers this when the like is already as asked, and also when the message does not exist or the user behind the credential is not in its chat: check the message ID.',
	WRONG_REQUEST:
		'Bitrix24 uses WRONG_REQUEST for refusals without a code of their own. Adding people: the user behind the credential may not add people to this chat, or none of the people listed could be added (unknown or inactive users). Creating a chat: Bitrix24 could not create it.',
	WRONG_AUTH_TYPE: 'Notifications can be sent only through a webhook or an application, not a browser session.',
};

/**
 * A failure of an `imbot.v2` call: a missing scope there is "imbot" (Chat bots), not the "im" the
 * generic hint names.
 */
export function withBotScope(failure: Bitrix24Failure): Bitrix24Failure {
	if (failure.code !== 'insufficient_scope') return failure;
	return { ...failure, neededScope: 'imbot' };
}

export function hintFor(code: string): string | undefined {
	return HINTS[code];
}

/**
 * The HTTP status Bitrix24 answers each documented code with (from the REST module source).
 * Inside a `batch` a command's error arrives without a status; this table gives the same item
 * the same message whether it was sent alone or batched.
 */
const DOCUMENTED_STATUS: Record<string, number> = {
	MESSAGE_EMPTY: 400,
	USER_ID_EMPTY: 400,
	USER_NOT_FOUND: 400,
	CHAT_ID_EMPTY: 400,
	PARAMS_ERROR: 400,
	ERROR_MESSAGE_CREATE: 400,
	ACCESS_ERROR: 403,
	ATTACH_ERROR: 400,
	ATTACH_OVERSIZE: 400,
	KEYBOARD_ERROR: 400,
	MENU_ERROR: 400,
	REPLY_ACCESS_ERROR: 403,
	REPLY_FROM_OTHER_CHAT_ERROR: 403,
	MESSAGE_ID_ERROR: 400,
	CANT_EDIT_MESSAGE: 403,
	KEYBOARD_OVERSIZE: 400,
	MENU_OVERSIZE: 400,
	WITHOUT_CHANGES: 400,
	DIALOG_ID_EMPTY: 400,
	ACCESS_DENIED_EXTEND: 403,
	WRONG_REQUEST: 400,
	WRONG_AUTH_TYPE: 403,
	QUERY_LIMIT_EXCEEDED: 503,
	OPERATION_TIME_LIMIT: 429,
	NO_AUTH_FOUND: 401,
	INVALID_CREDENTIALS: 401,
	insufficient_scope: 401,
	expired_token: 401,
	invalid_token: 401,
	ACCESS_DENIED: 403,
	user_access_error: 403,
	ERROR_METHOD_NOT_FOUND: 404,
	INTERNAL_SERVER_ERROR: 500,
	ERROR_UNEXPECTED_ANSWER: 500,
};

export function statusOf(failure: Pick<Bitrix24Failure, 'code' | 'httpStatus'>): number | undefined {
	return failure.httpStatus ?? DOCUMENTED_STATUS[failure.code];
}

/**
 * The error title: Bitrix24's code and description, `ACCESS_ERROR: Action unavailable (HTTP 403)`.
 * A connection failure is said in words; its code travels in the details. The hint is not here:
 * it is the error's description, said once.
 */
export function describeFailure(failure: Bitrix24Failure): string {
	const httpStatus = statusOf(failure);
	const status = httpStatus ? ` (HTTP ${httpStatus})` : '';
	const text = failure.network
		? failure.description
		: failure.description
			? `${failure.code}: ${failure.description}${status}`
			: `${failure.code}${status}`;
	// Said in the message itself, so that continue-on-fail output ({error, code}) carries it too.
	const uncertain = failure.deliveryUnknown
		? '. The message may or may not have been delivered; it was not retried'
		: '';
	return `${text}${uncertain}`;
}

/** The error description: the hint for the code, and what an uncertain delivery means. */
export function explainFailure(failure: Bitrix24Failure): string | undefined {
	const parts: string[] = [];
	const hint =
		failure.code === 'insufficient_scope' && failure.neededScope === 'imbot'
			? 'The webhook or application needs the "imbot" scope (Chat bots): add it in Bitrix24 (the webhook\'s or the application\'s permissions) and try again.'
			: hintFor(failure.code);
	if (hint) parts.push(hint);
	if (failure.deliveryUnknown) {
		parts.push(
			'The request may have reached Bitrix24: the message may or may not have been delivered. It was not retried, to avoid posting it twice.',
		);
	}
	return parts.length > 0 ? parts.join(' ') : undefined;
}

/** What an operation adds to a failure's wording, decided before the error is built. */
export interface FailureNotes {
	/** Sentences added to the message, e.g. which files of the item were already posted. */
	notes: string[];
	/**
	 * The notes also stand as the description, in place of the transport's explanation (which
	 * speaks of messages, where the notes speak of files).
	 */
	notesAsDescription?: boolean;
}

export function failureToNodeApiError(
	node: INode,
	failure: Bitrix24Failure,
	itemIndex?: number,
	{ notes, notesAsDescription = false }: FailureNotes = { notes: [] },
): NodeApiError {
	// The error response passed to n8n is built here from known fields only, never from the raw
	// HTTP error: that one carries the request URL, which holds the webhook secret.
	const errorResponse: JsonObject = {
		error: failure.code,
		error_description: failure.description,
	};
	const httpStatus = statusOf(failure);
	if (httpStatus) errorResponse.httpCode = String(httpStatus);
	const message = [describeFailure(failure), ...notes].join('. ');
	const description = notesAsDescription && notes.length > 0 ? `${notes.join('. ')}.` : explainFailure(failure);
	const error = new NodeApiError(node, errorResponse, {
		message,
		description,
		httpCode: httpStatus ? String(httpStatus) : undefined,
		itemIndex,
	});
	// NodeApiError swaps any message that mentions a common network code (ECONNREFUSED,
	// ETIMEDOUT…) for generic text, and without a description it copies one from the response,
	// which would repeat the title.
	error.message = message;
	error.description = description ?? null;
	// `messages` is what n8n lists under the error's details ("From Bitrix24"): Bitrix24's own code
	// and description, so the details show more than the bare HTTP status. Set here rather than as
	// `errorResponse.message`, which made n8n-core log every such error.
	error.messages = [failure.description ? `${failure.code}: ${failure.description}` : failure.code];
	return error;
}

/** The Bitrix24 error code carried by an error this package created, for continue-on-fail output. */
export function bitrix24CodeOf(error: unknown): string | undefined {
	if (error instanceof NodeApiError) {
		const response = error.errorResponse as JsonObject | undefined;
		if (response && typeof response.error === 'string') return response.error;
	}
	return undefined;
}
