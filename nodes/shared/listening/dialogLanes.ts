/**
 * Runs deliveries one dialog at a time and dialogs side by side: the next event of a chat starts
 * only after the previous one's execution finished (a conversation stays in order), while other
 * chats go on. At most `maxParallel` deliveries run at once, so a backlog of a thousand events in
 * a thousand chats does not start a thousand executions together.
 */
export class DialogLanes<T> {
	private readonly lanes = new Map<string, T[]>();
	/** Dialogs with work whose head is not running yet, oldest first. */
	private readonly waiting: string[] = [];
	private running = 0;
	private stopped = false;
	private idleWaiters: Array<() => void> = [];

	constructor(
		private readonly deliver: (entry: T) => Promise<void>,
		private readonly maxParallel: number,
	) {}

	add(dialogKey: string, entry: T): void {
		const lane = this.lanes.get(dialogKey);
		if (lane) {
			lane.push(entry);
			return;
		}
		this.lanes.set(dialogKey, [entry]);
		this.waiting.push(dialogKey);
		this.startWaiting();
	}

	/** Starts nothing new; what runs finishes (its execution is n8n's). */
	stop(): void {
		this.stopped = true;
	}

	get busy(): boolean {
		return this.lanes.size > 0;
	}

	/** Resolves once every added entry has been delivered (or the lanes were stopped and drained). */
	async idle(): Promise<void> {
		if (this.running === 0 && (this.lanes.size === 0 || this.stopped)) return;
		await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
	}

	private startWaiting(): void {
		while (!this.stopped && this.running < this.maxParallel && this.waiting.length > 0) {
			const dialogKey = this.waiting.shift() as string;
			const lane = this.lanes.get(dialogKey);
			if (!lane || lane.length === 0) continue;
			this.running++;
			void this.runHead(dialogKey, lane[0]);
		}
		if (this.running === 0 && (this.lanes.size === 0 || this.stopped)) {
			const waiters = this.idleWaiters;
			this.idleWaiters = [];
			for (const resolve of waiters) resolve();
		}
	}

	private async runHead(dialogKey: string, entry: T): Promise<void> {
		try {
			await this.deliver(entry);
		} catch {
			// deliver() reports its own failures; a lane must go on whatever happens.
		}
		this.running--;
		const lane = this.lanes.get(dialogKey) as T[];
		lane.shift();
		if (lane.length === 0) this.lanes.delete(dialogKey);
		else this.waiting.push(dialogKey);
		this.startWaiting();
	}
}
