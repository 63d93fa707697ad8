/** A class: used for services, mixins and DTOs. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- constructor parameters are the user's own
export type Constructor<T = object> = new (...args: any[]) => T;
