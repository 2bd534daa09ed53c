/**
 * Send and Wait for Response through n8n-core: the question the fake portal received, the wait
 * n8n was asked for, and the node's webhook() answers to the links and the form.
 */
import { createRequire } from 'node:module';

import { WAIT_INDEFINITELY } from 'n8n-workflow';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { answerWaiting } from './harness/answerWaiting';
import type { WebhookRequest } from './harness/answerWaiting';
import { useFakePortal, webhookCredentials } from './harness/fixtures';
import { runBitrix24 } from './harness/runWorkflow';
import type { RunOptions } from './harness/runWorkflow';

// n8n-core's own copies of n8n's DI container and logger: the ones `this.logger` comes from.
const fromN8nCore = createRequire(require.resolve('n8n-core'));
const { Container } = fromN8nCore('@n8n/di') as {
	Container: { get(type: unknown): unknown; set(type: unknown, value: unknown): void };
};
const { Logger } = fromN8nCore('@n8n/backend-common') as { Logger: unknown };

const portal = useFakePortal();

const RESUME_LINK = /^http:\/\/127\.0\.0\.1:1\/webhook-waiting\/test-execution-\d+\/bitrix24\?/;

function options(parameters: INodeParameters = {}, items?: IDataObject[]): RunOptions {
	return {
		credentials: webhookCredentials(portal()),
		items,
		parameters: {
			authentication: 'webhook',
			resource: 'message',
			operation: 'sendAndWait',
			dialogId: { __rl: true, mode: 'id', value: 'chat7' },
			message: 'Refund [b]$120[/b] to order 1042?',
			...parameters,
		},
	};
}

const double = { approvalOptions: { values: { approvalType: 'double' } } };

async function ask(parameters: INodeParameters = {}) {
	const runOptions = options(parameters);
	const waiting = await runBitrix24(runOptions);
	expect(waiting.error).toBeUndefined();
	expect(waiting.status).toBe('waiting');
	return { runOptions, waiting, answer: (request: WebhookRequest) => answerWaiting(runOptions, waiting, request) };
}

type Button = Record<string, string>;
const buttonsOf = (index = 0) => (portal().messages[index].keyboard as { BUTTONS: Button[] }).BUTTONS;
const queryOf = (link: string) => Object.fromEntries(new URL(link).searchParams.entries());

describe('the question', () => {
	it('approval: one message with Approve and Decline buttons opening signed resume links, no link preview', async () => {
		const { waiting } = await ask(double);

		expect(portal().calls.map((call) => call.method)).toEqual(['im.message.add']);
		expect(portal().messages).toHaveLength(1);
		expect(portal().messages[0]).toMatchObject({
			dialogId: 'chat7',
			message: 'Refund [b]$120[/b] to order 1042?',
			urlPreview: 'N',
		});
		const [approve, decline] = buttonsOf();
		expect(buttonsOf()).toHaveLength(2);
		expect(approve).toMatchObject({ TEXT: 'Approve', BG_COLOR_TOKEN: 'primary', DISPLAY: 'LINE' });
		expect(decline).toMatchObject({ TEXT: 'Decline', BG_COLOR_TOKEN: 'alert', DISPLAY: 'LINE' });
		expect(approve.LINK).toMatch(RESUME_LINK);
		expect(queryOf(approve.LINK)).toEqual({ approved: 'true', signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
		expect(queryOf(decline.LINK)).toEqual({ approved: 'false', signature: expect.stringMatching(/^[0-9a-f]{64}$/) });
		// Each answer has its own signature: changing approved=false to true breaks it.
		expect(queryOf(approve.LINK).signature).not.toBe(queryOf(decline.LINK).signature);

		expect(waiting.run.waitTill).toEqual(WAIT_INDEFINITELY);
		// Until the answer, the node passes its input on (what it outputs when a time limit runs out).
		expect(waiting.output).toEqual([{ json: {}, pairedItem: { item: 0 } }]);
	});

	it('approve only (the default): one button with its own label', async () => {
		await ask({ approvalOptions: { values: { approvalType: 'single', approveLabel: 'Ship it' } } });
		expect(buttonsOf()).toEqual([
			{ TEXT: 'Ship it', LINK: expect.stringMatching(RESUME_LINK), BG_COLOR_TOKEN: 'primary', DISPLAY: 'LINE' },
		]);
	});

	it('free text and custom form: one button, labelled by Message Button Label', async () => {
		await ask({ responseType: 'freeText' });
		await ask({
			responseType: 'customForm',
			formFields: { values: [{ fieldLabel: 'Reason', fieldType: 'text' }] },
			options: { messageButtonLabel: 'Fill in the form' },
		});
		expect(buttonsOf(0)).toEqual([
			{ TEXT: 'Respond', LINK: expect.stringMatching(RESUME_LINK), BG_COLOR_TOKEN: 'primary', DISPLAY: 'LINE' },
		]);
		expect(buttonsOf(1)).toEqual([
			{
				TEXT: 'Fill in the form',
				LINK: expect.stringMatching(RESUME_LINK),
				BG_COLOR_TOKEN: 'primary',
				DISPLAY: 'LINE',
			},
		]);
	});

	it('Markdown is converted to BB-code, as Send does', async () => {
		await ask({ messageFormat: 'markdown', message: 'Refund **$120**?' });
		expect(portal().messages[0].message).toBe('Refund [b]$120[/b]?');
	});

	it('one question per execution, whatever the number of items', async () => {
		const waiting = await runBitrix24(options({}, [{ n: 1 }, { n: 2 }, { n: 3 }]));
		expect(waiting.status).toBe('waiting');
		expect(portal().messages).toHaveLength(1);
	});
});

describe('the wait n8n is asked for', () => {
	it('after a time interval: now + the interval', async () => {
		const before = Date.now();
		const { waiting } = await ask({
			options: {
				limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 30, resumeUnit: 'minutes' } },
			},
		});
		const waitTill = (waiting.run.waitTill as Date).getTime();
		expect(waitTill).toBeGreaterThanOrEqual(before + 30 * 60_000);
		expect(waitTill).toBeLessThanOrEqual(Date.now() + 30 * 60_000);
	});

	it('at a specified time: that time', async () => {
		const at = new Date(Date.now() + 3 * 86_400_000);
		at.setMilliseconds(0);
		const { waiting } = await ask({
			options: { limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: at.toISOString() } } },
		});
		expect(waiting.run.waitTill).toEqual(at);
	});
});

describe('bad input is refused before anything is sent, naming the field', () => {
	it.each([
		['an empty message', { message: '  ' }, /Invalid "Message" in item 0: .*empty/],
		['a bad dialog', { dialogId: { __rl: true, mode: 'list', value: 'room 7' } }, /Invalid "Dialog" in item 0/],
		[
			'a time limit in the past',
			{
				options: {
					limitWaitTime: { values: { limitType: 'atSpecifiedTime', maxDateAndTime: '2020-01-01T00:00:00Z' } },
				},
			},
			/Invalid "Limit Wait Time → Max Date and Time".*in the past/,
		],
		[
			'a zero interval',
			{
				options: {
					limitWaitTime: { values: { limitType: 'afterTimeInterval', resumeAmount: 0, resumeUnit: 'hours' } },
				},
			},
			/Invalid "Limit Wait Time → Amount"/,
		],
		[
			'a form without fields',
			{ responseType: 'customForm', formFields: { values: [] } },
			/Invalid "Form Elements".*at least one field/,
		],
		[
			'a JSON form with a file field',
			{ responseType: 'customForm', defineForm: 'json', jsonOutput: '[{"fieldLabel": "CV", "fieldType": "file"}]' },
			/Invalid "Form Fields".*"file"/,
		],
		['a question too long for one message', { message: 'x'.repeat(19_950) }, /Invalid "Message".*characters long/],
	])('%s', async (_label, parameters, expected) => {
		const result = await runBitrix24(options(parameters as INodeParameters));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(expected);
		expect(portal().calls).toEqual([]);
	});

	it('a Bitrix24 refusal fails the node, and its error does not carry the resume link', async () => {
		portal().inject({
			kind: 'error',
			code: 'ACCESS_ERROR',
			description: 'You do not have access to this chat',
			status: 403,
		});
		const result = await runBitrix24(options());
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/access/i);
		expect(JSON.stringify(result.error)).not.toMatch(/webhook-waiting|signature/);
	});
});

describe("webhook(): the answers to the question's links", () => {
	it('Approve: {data: {approved: true}} with the question, and the question shows the outcome without buttons', async () => {
		const { answer } = await ask(double);
		const messageId = portal().messages[0].id;
		const reply = await answer({ method: 'GET', query: { approved: 'true' } });

		expect(reply.result.workflowData).toEqual([[{ json: { data: { approved: true }, messageId, dialogId: 'chat7' } }]]);
		expect(reply.result.webhookResponse).toMatch(/Got it, thanks/);
		const update = portal().calls.find((call) => call.method === 'im.message.update');
		expect(update?.params).toMatchObject({ MESSAGE_ID: messageId, KEYBOARD: 'N' });
		const [question] = portal().messages;
		expect(question.keyboard).toBeUndefined();
		expect(question.message).toMatch(
			/^Refund \[b\]\$120\[\/b\] to order 1042\?\n\n\[b\]✓ Approved\[\/b\] · \d{4}-\d\d-\d\d \d\d:\d\d \(.+\)$/,
		);
	});

	it('Decline: {data: {approved: false}}, and the question says declined', async () => {
		const { answer } = await ask(double);
		const reply = await answer({ method: 'GET', query: { approved: 'false' } });
		expect(reply.result.workflowData?.[0][0].json.data).toEqual({ approved: false });
		expect(portal().messages[0].message).toMatch(/\[b\]✗ Declined\[\/b\] · /);
	});

	it.each([
		['a link preview robot', 'Mozilla/5.0 (compatible; Bitrix24 link preview)'],
		['a chat app robot', 'TelegramBot (like TwitterBot)'],
		['a crawler', 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)'],
		['no user agent at all', ''],
	])('%s opening the Approve link decides nothing', async (_label, userAgent) => {
		const { answer } = await ask(double);
		const reply = await answer({ method: 'GET', query: { approved: 'true' }, headers: { 'user-agent': userAgent } });
		expect(reply.result).toEqual({ noWebhookResponse: true });
		expect(reply.sent).toEqual({ status: 200, body: '' });
		expect(portal().calls.map((call) => call.method)).toEqual(['im.message.add']);
	});

	it('with Update Question After Answer off, the question is left as it was', async () => {
		const { answer } = await ask({ ...double, options: { updateQuestion: false } });
		const reply = await answer({ method: 'GET', query: { approved: 'true' } });
		expect(reply.result.workflowData?.[0][0].json.data).toEqual({ approved: true });
		expect(portal().calls.map((call) => call.method)).toEqual(['im.message.add']);
		expect(buttonsOf()).toHaveLength(2);
	});

	it('a failed update does not stop the answer: the workflow still gets it, the failure is logged', async () => {
		const { answer } = await ask(double);
		portal().inject({ method: 'im.message.update', kind: 'error', code: 'CANT_EDIT_MESSAGE', status: 400 });
		// n8n's logger is one instance per process (its level set once): a recording one stands in.
		const logged: string[] = [];
		const n8nLogger = Container.get(Logger);
		const recording = {
			error: (message: string) => void logged.push(message),
			warn: (message: string) => void logged.push(message),
			info: () => undefined,
			debug: () => undefined,
			scoped: () => recording,
		};
		Container.set(Logger, recording);
		try {
			const reply = await answer({ method: 'GET', query: { approved: 'true' } });
			expect(reply.result.workflowData?.[0][0].json.data).toEqual({ approved: true });
		} finally {
			Container.set(Logger, n8nLogger);
		}
		expect(portal().calls.map((call) => [call.method, call.outcome])).toEqual([
			['im.message.add', 'ok'],
			['im.message.update', 'CANT_EDIT_MESSAGE'],
		]);
		const log = logged.join('\n');
		expect(log).toMatch(/question \(message 1001\) could not be updated.*CANT_EDIT_MESSAGE/);
		// The link is a capability: it is never logged.
		expect(log).not.toMatch(/webhook-waiting|signature=/);
	});

	it("free text: GET serves n8n's form page with one text area, POST resumes with {data: {text}}", async () => {
		const { answer } = await ask({
			responseType: 'freeText',
			message: 'What should the release note say?',
			options: { responseFormTitle: 'Release note', responseFormButtonLabel: 'Send' },
		});
		const page = await answer({ method: 'GET' });
		expect(page.result).toEqual({ noWebhookResponse: true });
		expect(page.rendered?.view).toBe('form-trigger');
		expect(page.rendered?.data).toMatchObject({
			formTitle: 'Release note',
			formDescription: 'What should the release note say?',
			buttonLabel: 'Send',
			formFields: [{ id: 'field-0', label: 'Response', isTextarea: true, inputRequired: 'form-required' }],
		});
		// Sandboxed as n8n's own form pages are.
		expect(page.rendered?.headers['content-security-policy']).toMatch(/^sandbox /);
		expect(portal().calls.map((call) => call.method)).toEqual(['im.message.add']);

		const submitted = await answer({ method: 'POST', body: { data: { 'field-0': 'Faster uploads' } } });
		expect(submitted.result.workflowData?.[0][0].json).toEqual({
			data: { text: 'Faster uploads' },
			messageId: portal().messages[0].id,
			dialogId: 'chat7',
		});
		expect(portal().messages[0].message).toMatch(/\[b\]✓ Answered\[\/b\]/);
	});

	it("the question's text cannot put HTML into the form page; simple BB-code stays formatted", async () => {
		const { answer } = await ask({
			responseType: 'freeText',
			message: 'Customer wrote: <img src=x onerror=alert(1)> [b]urgent[/b] [url=https://x.test]site[/url]',
		});
		const page = await answer({ method: 'GET' });
		expect(page.rendered?.data.formDescription).toBe(
			'Customer wrote: &lt;img src=x onerror=alert(1)&gt; <b>urgent</b> site',
		);
	});

	it('custom form: GET serves its fields, POST resumes with the fields by label, typed', async () => {
		const { answer } = await ask({
			responseType: 'customForm',
			formFields: {
				values: [
					{ fieldLabel: 'Name', fieldType: 'text', requiredField: true },
					{ fieldLabel: 'Amount', fieldType: 'number' },
					{
						fieldLabel: 'Team',
						fieldType: 'dropdown',
						fieldOptions: { values: [{ option: 'Ops' }, { option: 'Dev' }] },
					},
					{
						fieldLabel: 'Days',
						fieldType: 'checkbox',
						fieldOptions: { values: [{ option: 'Mon' }, { option: 'Tue' }] },
					},
				],
			},
		});
		const page = await answer({ method: 'GET' });
		expect(page.rendered?.data.formFields).toEqual([
			expect.objectContaining({
				id: 'field-0',
				label: 'Name',
				isInput: true,
				type: 'text',
				inputRequired: 'form-required',
			}),
			expect.objectContaining({ id: 'field-1', label: 'Amount', isInput: true, type: 'number' }),
			expect.objectContaining({ id: 'field-2', label: 'Team', isSelect: true, selectOptions: ['Ops', 'Dev'] }),
			expect.objectContaining({ id: 'field-3', label: 'Days', isMultiSelect: true }),
		]);

		const submitted = await answer({
			method: 'POST',
			body: { data: { 'field-0': ' Ann ', 'field-1': '12', 'field-2': 'Dev', 'field-3': '["Tue"]' } },
		});
		expect(submitted.result.workflowData?.[0][0].json.data).toEqual({
			Name: 'Ann',
			Amount: 12,
			Team: 'Dev',
			Days: ['Tue'],
		});
		expect(portal().messages[0].message).toMatch(/\[b\]✓ Form submitted\[\/b\]/);
	});
});
