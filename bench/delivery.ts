/** Checks what the portal stored against what was sent: nothing lost, nothing twice, same order. */
import type { StoredMessage } from '../test/fakePortal';

export interface DeliveryCheck {
	ok: boolean;
	stored: number;
	lost: number;
	duplicated: number;
	/** Index of the first stored message that is not the expected one, or -1. */
	firstOutOfOrder: number;
	/** The node's output says messageId X for item i: does the portal agree? */
	outputMismatches: number;
	summary: string;
}

export function checkDelivery(expectedTexts: string[], stored: StoredMessage[], outputIds?: unknown[]): DeliveryCheck {
	const counts = new Map<string, number>();
	for (const message of stored) counts.set(message.message, (counts.get(message.message) ?? 0) + 1);
	let lost = 0;
	let duplicated = 0;
	for (const text of expectedTexts) {
		const count = counts.get(text) ?? 0;
		if (count === 0) lost++;
		if (count > 1) duplicated += count - 1;
	}
	const expected = new Set(expectedTexts);
	const unexpected = stored.filter((message) => !expected.has(message.message)).length;
	const firstOutOfOrder = stored.findIndex((message, index) => message.message !== expectedTexts[index]);
	let outputMismatches = 0;
	if (outputIds !== undefined) {
		const idByText = new Map(stored.map((message) => [message.message, message.id]));
		expectedTexts.forEach((text, index) => {
			if (outputIds[index] !== idByText.get(text)) outputMismatches++;
		});
		outputMismatches += Math.max(0, outputIds.length - expectedTexts.length);
	}
	const ok =
		lost === 0 &&
		duplicated === 0 &&
		unexpected === 0 &&
		firstOutOfOrder === -1 &&
		stored.length === expectedTexts.length &&
		outputMismatches === 0;
	const parts = [`${stored.length}/${expectedTexts.length} stored`, `${lost} lost`, `${duplicated} duplicated`];
	parts.push(firstOutOfOrder === -1 ? 'in order' : `out of order from #${firstOutOfOrder}`);
	if (outputIds !== undefined)
		parts.push(outputMismatches === 0 ? 'output ids match' : `${outputMismatches} output ids wrong`);
	return {
		ok,
		stored: stored.length,
		lost,
		duplicated,
		firstOutOfOrder,
		outputMismatches,
		summary: `${ok ? 'OK' : 'FAIL'}: ${parts.join(', ')}`,
	};
}
