import type { IDataObject } from 'n8n-workflow';

import { LongTextError, MAX_MESSAGE_CHARACTERS, splitLongText } from './longText';
import { characterCount } from '../shared/serverText';

/** Options → Long Text. */
export type LongTextMode = 'split' | 'fail';

/** Reports a problem with a field of the current item; never returns. */
export type RejectField = (field: string, problem: string) => never;

/** Parameters that belong under the end of the text, so they go with the last part. */
const LAST_PART_ONLY = ['ATTACH', 'KEYBOARD', 'MENU'] as const;
/** A reply is one message answering another: only the first part is the reply. */
const FIRST_PART_ONLY = ['REPLY_ID'] as const;

/**
 * The im.message.add parameters for one item: one set, or one per part when the text is longer
 * than Bitrix24 keeps. Parts go to the same chat in order; SYSTEM and URL_PREVIEW apply to each.
 */
export function messageParts(params: IDataObject, mode: LongTextMode, reject: RejectField): IDataObject[] {
	const text = typeof params.MESSAGE === 'string' ? params.MESSAGE : '';
	const length = characterCount(text.trim());
	if (length <= MAX_MESSAGE_CHARACTERS) return [params];
	if (mode === 'fail') {
		return reject(
			'Message',
			`the text is ${length} characters long; Bitrix24 keeps only the first ${MAX_MESSAGE_CHARACTERS} and drops the rest without an error. Shorten it, or set Options → Long Text to "Split Into Several Messages"`,
		);
	}
	let texts: string[];
	try {
		texts = splitLongText(text);
	} catch (error) {
		const reason = error instanceof LongTextError ? error.message : String(error);
		return reject('Message', `the text is ${length} characters long and ${reason}`);
	}
	return texts.map((partText, index) => {
		const part: IDataObject = { ...params, MESSAGE: partText };
		if (index > 0) for (const key of FIRST_PART_ONLY) delete part[key];
		if (index < texts.length - 1) for (const key of LAST_PART_ONLY) delete part[key];
		return part;
	});
}
