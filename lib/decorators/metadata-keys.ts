/** Metadata keys; decorators write them, `service/describe.ts` reads them. */
export const SERVICE_METADATA = Symbol.for("nucleon:service");
export const ACTIONS_METADATA = Symbol.for("nucleon:actions");
export const EVENTS_METADATA = Symbol.for("nucleon:events");
export const CACHED_METADATA = Symbol.for("nucleon:cached");
export const HOOKS_METADATA = Symbol.for("nucleon:hooks");
