/** Item → command → (batch) → engine → outcome per item. The engine is engine.ts. */
import { DEFAULT_CALL_SETTINGS } from './engine';
import type { SendOptions } from './engine';

export { runCommands } from './engine';
export type { CommandOutcome, SendOptions } from './engine';
export { MAX_BATCH_COMMANDS } from './requestUnit';
export type { Command } from './requestUnit';

export const DEFAULT_SEND_OPTIONS: SendOptions = {
	...DEFAULT_CALL_SETTINGS,
	batching: true,
	continueOnFail: false,
};
