/**
 * The question as Bitrix24 receives it: one im.message.add with the text and a KEYBOARD whose
 * buttons open n8n's resume link. Everything is read and checked before anything is sent.
 */
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { invalidInput, readDialogIdField } from '../shared/itemInput';
import { MAX_MESSAGE_CHARACTERS } from '../text/longText';
import { readMessageText } from '../text/messageFormat';
import { checkFormFields } from './formFields';
import type { ResumeLinks } from './resumeLink';
import { waitTillFrom } from './waitLimit';

export type ResponseType = 'approval' | 'freeText' | 'customForm';

/** Room kept for the outcome line added when the question is answered. */
const OUTCOME_LINE_ROOM = 120;

export interface Question {
	dialogId: string;
	text: string;
	responseType: ResponseType;
	waitTill: Date;
	buttons: QuestionButton[];
}

interface QuestionButton {
	label: string;
	query: Record<string, string>;
	/** Bitrix24's button colours: primary (the theme's accent), alert (red), secondary, base. */
	colorToken: 'primary' | 'alert' | 'secondary' | 'base';
}

export function readResponseType(value: unknown): ResponseType {
	return value === 'freeText' || value === 'customForm' ? value : 'approval';
}

function label(value: unknown, fallback: string): string {
	const text = typeof value === 'string' ? value.trim() : '';
	return text === '' ? fallback : text;
}

/** Reads and checks the node's fields (item 0: one question per execution, as n8n's nodes do). */
export function readQuestion(context: IExecuteFunctions, nowMs = Date.now()): Question {
	const itemIndex = 0;
	const dialogId = readDialogIdField(context, itemIndex);
	const text = readMessageText(context, itemIndex);
	if (text.trim() === '')
		throw invalidInput(context, itemIndex, 'Message', 'the question is empty. Write what to answer');
	if (text.length > MAX_MESSAGE_CHARACTERS - OUTCOME_LINE_ROOM) {
		throw invalidInput(
			context,
			itemIndex,
			'Message',
			`the question is ${text.length} characters long; it must fit one Bitrix24 message with room for the answer line (at most ${MAX_MESSAGE_CHARACTERS - OUTCOME_LINE_ROOM})`,
		);
	}
	const responseType = readResponseType(context.getNodeParameter('responseType', itemIndex, 'approval'));
	const options = context.getNodeParameter('options', itemIndex, {}) as IDataObject;

	const waitTill = waitTillFrom(
		(options.limitWaitTime as IDataObject | undefined)?.values as IDataObject,
		(field, problem) => {
			throw invalidInput(context, itemIndex, field, problem);
		},
		nowMs,
	);

	if (responseType === 'customForm') {
		readCustomFormFields(
			(name, fallback) => context.getNodeParameter(name, itemIndex, fallback),
			(field, problem) => invalidInput(context, itemIndex, field, problem),
		);
	}

	const buttons: QuestionButton[] = [];
	if (responseType === 'approval') {
		const approval = context.getNodeParameter('approvalOptions.values', itemIndex, {}) as IDataObject;
		buttons.push({
			label: label(approval.approveLabel, 'Approve'),
			query: { approved: 'true' },
			colorToken: 'primary',
		});
		if (approval.approvalType === 'double') {
			buttons.push({
				label: label(approval.disapproveLabel, 'Decline'),
				query: { approved: 'false' },
				colorToken: 'alert',
			});
		}
	} else {
		buttons.push({
			label: label(options.messageButtonLabel, 'Respond'),
			query: { approved: 'true' },
			colorToken: 'primary',
		});
	}
	return { dialogId, text, responseType, waitTill, buttons };
}

/** The custom form's fields, from the builder or JSON; `invalid` names the field for bad ones. */
export function readCustomFormFields(
	read: (name: string, fallback: unknown) => unknown,
	invalid: (field: string, problem: string) => Error,
) {
	const defineForm = read('defineForm', 'fields');
	const reject = (problem: string): never => {
		throw invalid(defineForm === 'json' ? 'Form Fields' : 'Form Elements', problem);
	};
	if (defineForm === 'json') return checkFormFields(read('jsonOutput', ''), reject);
	return checkFormFields(read('formFields.values', []), reject);
}

/** im.message.add's parameters. URL_PREVIEW: N keeps Bitrix24's link preview robot off the links. */
export function questionParams(question: Question, links: ResumeLinks): IDataObject {
	return {
		DIALOG_ID: question.dialogId,
		MESSAGE: question.text,
		KEYBOARD: {
			BUTTONS: question.buttons.map((button) => ({
				TEXT: button.label,
				LINK: links.link(button.query),
				BG_COLOR_TOKEN: button.colorToken,
				DISPLAY: 'LINE',
			})),
		},
		URL_PREVIEW: 'N',
	};
}
