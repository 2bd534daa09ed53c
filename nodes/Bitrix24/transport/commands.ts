/** Item → command → (batch) → engine → outcome per item. The engine is engine.ts. */
export { runCommands } from './engine';
export type { CommandOutcome, SendOptions } from './engine';
export { MAX_BATCH_COMMANDS } from './requestUnit';
export type { Command } from './requestUnit';
