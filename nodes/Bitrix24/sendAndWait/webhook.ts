/**
 * Send and Wait for Response, the answering half: n8n calls the node's webhook when someone opens
 * a button's link (GET) or submits the response form (POST), while the execution waits. n8n itself
 * checks the link's signature, and answers a link of an execution that already went on with its
 * "no action needed" page, so this only turns a request into the node's output.
 */
import type { IDataObject, IWebhookFunctions, IWebhookResponseData } from 'n8n-workflow';

import { markdownToBbCode } from '../text/markdownToBbCode';
import { updateAnsweredQuestion } from './answerUpdate';
import { FREE_TEXT_FIELDS, formAnswer, formPageData } from './formFields';
import type { FormField } from './formFields';
import { isLinkPreviewRobot } from './linkPreviewRobot';
import { readCustomFormFields, readResponseType } from './question';
import { recallQuestion } from './questionMemory';

/** The page a person sees after answering (n8n's own send-and-wait nodes show the same words). */
export const ANSWER_RECORDED_PAGE = `<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>Got it, thanks</title>
<style>body{font-family:system-ui,sans-serif;background:#f8f9fa;display:flex;align-items:center;justify-content:center;min-height:100vh;margin:0}main{background:#fff;border:1px solid #dbdfe7;border-radius:8px;padding:32px 48px;text-align:center}h1{font-size:20px;margin:0 0 8px}p{color:#5f6b7a;margin:0}</style>
</head>
<body><main><h1>Got it, thanks</h1><p>This page can be closed now</p></main></body>
</html>`;

const FORM_PAGE_CSP =
	'sandbox allow-downloads allow-forms allow-modals allow-orientation-lock allow-pointer-lock allow-popups allow-popups-to-escape-sandbox allow-presentation allow-scripts allow-top-navigation-by-user-activation allow-top-navigation-to-custom-protocols';

function read(context: IWebhookFunctions) {
	return (name: string, fallback: unknown): unknown => context.getNodeParameter(name, fallback);
}

/** The question's text as it was posted (BB-code), for the edit after the answer. */
function questionText(context: IWebhookFunctions): string {
	const text = String(context.getNodeParameter('message', '') ?? '');
	return context.getNodeParameter('messageFormat', 'bbcode') === 'markdown' ? markdownToBbCode(text) : text;
}

function formFieldsOf(context: IWebhookFunctions, responseType: 'freeText' | 'customForm'): FormField[] {
	if (responseType === 'freeText') return FREE_TEXT_FIELDS;
	return readCustomFormFields(read(context), (field, problem) => new Error(`Invalid "${field}": ${problem}`));
}

function showForm(context: IWebhookFunctions, fields: FormField[]): IWebhookResponseData {
	const options = context.getNodeParameter('options', {}) as IDataObject;
	const text = (value: unknown) => (typeof value === 'string' ? value : '');
	const description = text(options.responseFormDescription) || String(context.getNodeParameter('message', '') ?? '');
	const response = context.getResponseObject();
	// As n8n serves its own form pages: sandboxed, so that the page cannot act as n8n's origin.
	response.setHeader('Content-Security-Policy', FORM_PAGE_CSP);
	response.render(
		'form-trigger',
		formPageData(fields, {
			title: text(options.responseFormTitle),
			description,
			buttonLabel: text(options.responseFormButtonLabel) || 'Submit',
		}),
	);
	return { noWebhookResponse: true };
}

async function answered(context: IWebhookFunctions, data: IDataObject, outcome: string): Promise<IWebhookResponseData> {
	const question = recallQuestion(context);
	const options = context.getNodeParameter('options', {}) as IDataObject;
	if (question && options.updateQuestion !== false) {
		await updateAnsweredQuestion(context, question, questionText(context), outcome);
	}
	const json: IDataObject = { data };
	if (question) {
		json.messageId = question.messageId;
		json.dialogId = question.dialogId;
	}
	return { webhookResponse: ANSWER_RECORDED_PAGE, workflowData: [[{ json }]] };
}

export async function sendAndWaitWebhook(this: IWebhookFunctions): Promise<IWebhookResponseData> {
	const request = this.getRequestObject();
	const responseType = readResponseType(this.getNodeParameter('responseType', 'approval'));

	if (responseType === 'approval') {
		// A link preview robot fetching the link must not decide: it gets an empty page.
		if (isLinkPreviewRobot(request.headers['user-agent'])) {
			this.getResponseObject().status(200).send('');
			return { noWebhookResponse: true };
		}
		const approved = (request.query as IDataObject).approved === 'true';
		return await answered(this, { approved }, approved ? '✓ Approved' : '✗ Declined');
	}

	const fields = formFieldsOf(this, responseType);
	if (request.method === 'GET') return showForm(this, fields);

	const submitted = ((this.getBodyData().data ?? this.getBodyData()) as IDataObject) ?? {};
	if (responseType === 'freeText') {
		return await answered(this, { text: submitted['field-0'] as string }, '✓ Answered');
	}
	return await answered(this, formAnswer(fields, submitted), '✓ Form submitted');
}
