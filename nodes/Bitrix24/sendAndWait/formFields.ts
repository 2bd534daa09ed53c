/**
 * The response form: the fields a person fills in (free text is a form with one text area), the
 * data n8n's own form page ("form-trigger", served by n8n) renders, and the answer read back from
 * the page's submission. Fields follow n8n's Form node; files, HTML and hidden fields are not
 * offered (a chat question has no use for them, and files would need binary handling).
 */
import type { FormFieldsParameter, IDataObject } from 'n8n-workflow';

export const FORM_FIELD_TYPES = [
	'text',
	'textarea',
	'number',
	'email',
	'password',
	'date',
	'dropdown',
	'checkbox',
	'radio',
] as const;

export type FormField = FormFieldsParameter[number];

/** The one field of a free-text answer; its value comes back as `data.text`. */
export const FREE_TEXT_FIELDS: FormField[] = [{ fieldLabel: 'Response', fieldType: 'textarea', requiredField: true }];

/** Refuses a bad form definition, saying what is wrong (throws). */
export type RejectForm = (problem: string) => never;

function isRecord(value: unknown): value is IDataObject {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Checks a list of fields (from the builder or JSON); `reject` is told the field's number. */
export function checkFormFields(raw: unknown, reject: RejectForm): FormField[] {
	let value = raw;
	if (typeof value === 'string') {
		let parseProblem: string | undefined;
		try {
			value = JSON.parse(value);
		} catch (error) {
			parseProblem = (error as Error).message;
		}
		if (parseProblem !== undefined) reject(`not valid JSON (${parseProblem})`);
	}
	if (!Array.isArray(value) || value.length === 0) {
		reject('give at least one field, as a list like [{"fieldLabel": "Name"}]');
	}
	return value.map((entry, index) => {
		const where = `field ${index + 1}`;
		if (!isRecord(entry)) reject(`${where} is not an object`);
		const label = typeof entry.fieldLabel === 'string' ? entry.fieldLabel.trim() : '';
		if (label === '') reject(`${where} has no fieldLabel`);
		const fieldType = entry.fieldType === undefined || entry.fieldType === '' ? 'text' : String(entry.fieldType);
		if (!(FORM_FIELD_TYPES as readonly string[]).includes(fieldType)) {
			reject(`${where} ("${label}") has the type "${fieldType}"; use one of ${FORM_FIELD_TYPES.join(', ')}`);
		}
		const field: FormField = { fieldLabel: label, fieldType, requiredField: entry.requiredField === true };
		if (typeof entry.placeholder === 'string' && entry.placeholder !== '') field.placeholder = entry.placeholder;
		if (['dropdown', 'checkbox', 'radio'].includes(fieldType)) {
			const values = isRecord(entry.fieldOptions) ? entry.fieldOptions.values : undefined;
			const options = (Array.isArray(values) ? values : [])
				.map((option) => (isRecord(option) ? String(option.option ?? '').trim() : ''))
				.filter((option) => option !== '');
			if (options.length === 0) reject(`${where} ("${label}") needs at least one option`);
			field.fieldOptions = { values: options.map((option) => ({ option })) };
		}
		return field;
	});
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * The question's BB-code as the form page's description. n8n's page template inserts the
 * description as HTML, and the question often carries item data (a customer's words, an agent's
 * text): everything is escaped, then only bold, italic, underline and strike become tags again;
 * other BB-code keeps its text and loses its tags.
 */
export function descriptionHtml(bbCode: string): string {
	return bbCode
		.replace(/\\n/g, '\n')
		.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character])
		.replace(/\[(\/?)([bius])\]/gi, (_tag, closing: string, name: string) => `<${closing}${name.toLowerCase()}>`)
		.replace(/\[\/?[a-z]+(=[^\]]*)?\]/gi, '');
}

/** What n8n's "form-trigger" page template expects (the data its Form node prepares). */
export function formPageData(
	fields: FormField[],
	page: { title: string; description: string; buttonLabel: string },
): IDataObject {
	const description = descriptionHtml(page.description);
	return {
		testRun: false,
		formTitle: page.title,
		formDescription: description,
		formDescriptionMetadata: description.replace(/<\/?[^>]+(>|$)/g, '').slice(0, 150) || 'n8n form',
		formSubmittedHeader: 'Got it, thanks',
		formSubmittedText: 'This page can be closed now',
		n8nWebsiteLink: 'https://n8n.io/?utm_source=n8n-internal&utm_medium=form-trigger',
		useResponseData: false,
		appendAttribution: false,
		buttonLabel: page.buttonLabel,
		formFields: fields.map((field, index) => pageField(field, index)),
	};
}

function pageField(field: FormField, index: number): IDataObject {
	const input: IDataObject = {
		id: `field-${index}`,
		errorId: `error-field-${index}`,
		label: field.fieldLabel,
		inputRequired: field.requiredField ? 'form-required' : '',
		defaultValue: '',
		placeholder: field.placeholder,
	};
	const options = field.fieldOptions?.values.map((entry) => entry.option) ?? [];
	switch (field.fieldType) {
		case 'checkbox':
		case 'radio':
			input.isMultiSelect = true;
			input.multiSelectOptions = options.map((label, position) => ({ id: `option${position}_${input.id}`, label }));
			if (field.fieldType === 'radio') input.radioSelect = 'radio';
			break;
		case 'dropdown':
			input.isSelect = true;
			input.selectOptions = options;
			break;
		case 'textarea':
			input.isTextarea = true;
			break;
		default:
			input.isInput = true;
			input.type = field.fieldType ?? 'text';
	}
	return input;
}

/**
 * The submitted values by field label, typed as n8n's Form node outputs them: numbers as numbers,
 * checkboxes as a list, a radio choice as its option. The page posts `field-<index>` entries.
 */
export function formAnswer(fields: FormField[], submitted: IDataObject): IDataObject {
	const answer: IDataObject = {};
	fields.forEach((field, index) => {
		let value: unknown = submitted[`field-${index}`] ?? null;
		if (value !== null) {
			if (field.fieldType === 'number') value = Number(value);
			else if (field.fieldType === 'text') value = String(value).trim();
			else if ((field.fieldType === 'checkbox' || field.fieldType === 'radio') && typeof value === 'string') {
				value = parseChoice(value);
				if (field.fieldType === 'radio' && Array.isArray(value)) value = value[0] ?? null;
			}
		}
		answer[field.fieldLabel] = value as IDataObject[string];
	});
	return answer;
}

function parseChoice(value: string): unknown {
	try {
		return JSON.parse(value);
	} catch {
		return value;
	}
}
