/**
 * The transport's one entrance: everything outside transport/ imports from here. Behind it,
 * engine.ts paces, batches, retries and reads Bitrix24's envelope; nothing else knows HTTP.
 */
export { callMethod, DEFAULT_CALL_SETTINGS, runCommands } from './engine';
export type { CallSettings, RatePlan, SendOptions } from './engine';
export type { Outcome } from './answer';
export type { Command } from './requestUnit';
export { resolveConnection } from './connection';
export type { Bitrix24Connection, Bitrix24Context } from './connection';
export { bitrix24CodeOf, describeFailure, failureToNodeApiError, withBotScope } from './errors';
export type { Bitrix24Failure, FailureNotes } from './errors';
export { SerializedJsonBody } from './serializedBody';
export { waitUnlessStopped } from './wait';
