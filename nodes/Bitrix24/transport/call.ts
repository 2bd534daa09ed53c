/** Single calls and their settings: the engine does the work (see engine.ts). */
export { callMethod, DEFAULT_CALL_SETTINGS } from './engine';
export type { CallResult, CallSettings, RatePlan } from './engine';
