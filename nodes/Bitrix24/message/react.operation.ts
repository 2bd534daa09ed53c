import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { invalidInput, readPositiveId } from '../shared/itemInput';
import { runOneCallPerItem } from '../runner/oneCallPerItem';
import type { OperationSpec } from '../runner/oneCallPerItem';
import { optionsProperty, transportOptions } from '../runner/options';
import { messageIdProperty } from '../shared/messageIdField';

const showForReact = { resource: ['message'], operation: ['react'] };

/** Our reaction names and Bitrix24's ACTION values for im.message.like. */
const ACTIONS: Record<string, 'plus' | 'minus' | 'auto'> = { like: 'plus', unlike: 'minus', toggle: 'auto' };

export const reactDescription: INodeProperties[] = [
	messageIdProperty('react', 'react to'),
	{
		displayName: 'Reaction',
		name: 'reaction',
		type: 'options',
		default: 'like',
		displayOptions: { show: showForReact },
		options: [
			{
				name: 'Like',
				value: 'like',
				description:
					'Set the like. Already liked is an error (WITHOUT_CHANGES), as Bitrix24 gives the same answer for an unknown message.',
			},
			{ name: 'Unlike', value: 'unlike', description: 'Remove the like. Not liked is an error (WITHOUT_CHANGES).' },
			{
				name: 'Toggle',
				value: 'toggle',
				description: 'Flip the like. Not repeated when the answer is lost, as that could flip it back.',
			},
		],
	},
	optionsProperty(showForReact, transportOptions),
];

const reactSpec: OperationSpec = {
	prepare(context, itemIndex) {
		const messageId = readPositiveId(context, itemIndex, 'messageId', 'Message ID');
		const reaction = String(context.getNodeParameter('reaction', itemIndex, 'like'));
		const action = ACTIONS[reaction];
		if (!action) throw invalidInput(context, itemIndex, 'Reaction', `"${reaction}" is not one of like, unlike, toggle`);
		// Like and unlike set a fixed state, so sending them twice is harmless; a toggle sent
		// twice flips the like back.
		return {
			method: 'im.message.like',
			params: { MESSAGE_ID: messageId, ACTION: action },
			idempotent: action !== 'auto',
		};
	},
	output(_result, call) {
		const action = call.params.ACTION;
		// Bitrix24 answers `true` and nothing more: after a toggle the new state is not reported.
		const liked = action === 'plus' ? true : action === 'minus' ? false : null;
		return { messageId: call.params.MESSAGE_ID, liked, changed: true };
	},
	settled(failure, call) {
		// Bitrix24 answers WITHOUT_CHANGES when the like is already as asked, but also for a message
		// that does not exist or whose chat the user is not in. Only after an attempt whose answer
		// was lost (which then did the work) is it known to be the state asked for; otherwise it
		// stays an error, so a wrong message ID is never reported as liked. A toggle asks for no state.
		if (failure.code !== 'WITHOUT_CHANGES' || call.params.ACTION === 'auto' || !failure.afterLostAnswer) {
			return undefined;
		}
		return { messageId: call.params.MESSAGE_ID, liked: call.params.ACTION === 'plus', changed: false };
	},
	uncertainty: 'the like may or may not have been changed',
};

export async function executeReact(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	return await runOneCallPerItem(this, reactSpec);
}
