export { HotReloader } from "./hot-reloader";
export type { HotReloadOptions, ReloadOutcome } from "./hot-reloader";
export { Debouncer } from "./debounce";
