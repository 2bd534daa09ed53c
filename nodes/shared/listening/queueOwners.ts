/**
 * Which listening trigger reads which event queue in this process. Bitrix24 gives a queue (one
 * user's, one bot's) to a single consumer: a second reader would confirm events away from the
 * first. So a second trigger on the same queue fails to activate instead of stealing events.
 */

export interface QueueOwner {
	/** Workflow ID and node ID: the same trigger activated again may take its queue back. */
	key: string;
	/** For the error the second trigger shows. */
	workflowName: string;
	nodeName: string;
}

export interface QueueClaim {
	release(): void;
}

const owners = new Map<string, { owner: QueueOwner; token: symbol }>();

/** The claim, or the trigger that already holds the queue. */
export function claimQueue(queue: string, owner: QueueOwner): QueueClaim | { heldBy: QueueOwner } {
	const current = owners.get(queue);
	if (current && current.owner.key !== owner.key) return { heldBy: current.owner };
	const token = Symbol(queue);
	owners.set(queue, { owner, token });
	return {
		release: () => {
			// A re-activation of the same trigger may have taken the queue over meanwhile.
			if (owners.get(queue)?.token === token) owners.delete(queue);
		},
	};
}

/** For tests: forget every claim. */
export function forgetAllQueueOwners(): void {
	owners.clear();
}
