/** Lifecycle hooks a service class may implement (all optional). */
export interface OnServiceCreated {
  created(): void | Promise<void>;
}
export interface OnServiceStarted {
  started(): void | Promise<void>;
}
export interface OnServiceStopped {
  stopped(): void | Promise<void>;
}

// One list, kept with Context: typed calls must not offer these as actions.
export { LIFECYCLE_METHODS, type LifecycleMethod } from "../context/context";
