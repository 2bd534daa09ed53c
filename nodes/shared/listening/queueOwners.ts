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
	/** Resolves once the previous activation of the same trigger (if any) has stopped reading. */
	previousStopped: Promise<void>;
}

const owners = new Map<string, { owner: QueueOwner; token: symbol; stop: () => Promise<void> }>();

/**
 * The claim, or the trigger that already holds the queue. The same trigger activated again
 * before its previous activation was closed takes the queue over: the previous one is stopped
 * (`stop`) and the new one waits for that, so two loops never read one queue side by side.
 */
export function claimQueue(
	queue: string,
	owner: QueueOwner,
	stop: () => Promise<void>,
): QueueClaim | { heldBy: QueueOwner } {
	const current = owners.get(queue);
	if (current && current.owner.key !== owner.key) return { heldBy: current.owner };
	const previousStopped = current ? current.stop() : Promise.resolve();
	const token = Symbol(queue);
	owners.set(queue, { owner, token, stop });
	return {
		previousStopped,
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
