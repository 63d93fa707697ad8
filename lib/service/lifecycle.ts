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

export const LIFECYCLE_METHODS = ["created", "started", "stopped"] as const;
export type LifecycleMethod = (typeof LIFECYCLE_METHODS)[number];
