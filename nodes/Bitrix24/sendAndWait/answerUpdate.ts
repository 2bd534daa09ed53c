/**
 * After the answer: the question is edited in Bitrix24 so that the chat sees it was answered. The
 * buttons go (KEYBOARD: N), and one line with the outcome and the time is added under the text.
 * A failed edit is logged and the workflow goes on: the answer itself was recorded.
 */
import type { IWebhookFunctions } from 'n8n-workflow';

import { callMethod, DEFAULT_CALL_SETTINGS, describeFailure, resolveConnection } from '../transport';
import type { QuestionRef } from './questionMemory';

/** "2026-12-06 14:05 (Europe/Berlin)": the workflow's time zone, as its other dates use. */
export function answerTime(at: Date, timeZone: string): string {
	let zone = timeZone;
	let parts: Intl.DateTimeFormatPart[];
	try {
		parts = formatter(zone).formatToParts(at);
	} catch {
		zone = 'UTC';
		parts = formatter(zone).formatToParts(at);
	}
	const part = (type: string) => parts.find((entry) => entry.type === type)?.value ?? '';
	const hour = part('hour') === '24' ? '00' : part('hour');
	return `${part('year')}-${part('month')}-${part('day')} ${hour}:${part('minute')} (${zone})`;
}

function formatter(timeZone: string): Intl.DateTimeFormat {
	return new Intl.DateTimeFormat('en-GB', {
		timeZone,
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		hourCycle: 'h23',
	});
}

export function answeredText(question: string, outcome: string, at: string): string {
	return `${question}\n\n[b]${outcome}[/b] · ${at}`;
}

export async function updateAnsweredQuestion(
	context: IWebhookFunctions,
	question: QuestionRef,
	questionText: string,
	outcome: string,
): Promise<boolean> {
	const text = answeredText(questionText, outcome, answerTime(new Date(), context.getTimezone()));
	try {
		const connection = await resolveConnection(context);
		// Setting the same text and no keyboard twice does no harm, so a lost answer may be resent.
		const result = await callMethod(
			context,
			connection,
			'im.message.update',
			{ MESSAGE_ID: question.messageId, MESSAGE: text, KEYBOARD: 'N', URL_PREVIEW: 'N' },
			{ ...DEFAULT_CALL_SETTINGS, idempotent: true },
		);
		if (result.ok) return true;
		context.logger.warn(
			`Bitrix24 Send and Wait: the answer was recorded, but the question (message ${question.messageId}) could not be updated: ${describeFailure(result.failure)}`,
		);
	} catch (error) {
		context.logger.warn(
			`Bitrix24 Send and Wait: the answer was recorded, but the question (message ${question.messageId}) could not be updated: ${(error as Error).message}`,
		);
	}
	return false;
}
