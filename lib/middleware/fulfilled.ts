/**
 * Lets a wrapping middleware (metrics, tracing) tell that the promise it got
 * from `next(ctx)` is already fulfilled, without a `.then` (a promise, two
 * closures and a microtask per call). The innermost link of a local chain
 * marks the promise it makes for a synchronous handler's value; a link in
 * between that passes the promise on unchanged keeps the mark, one that
 * wraps it makes a new promise, which simply fails the check. One slot is
 * enough: the check runs synchronously right after `next(ctx)` returns, and
 * a stale mark can only name a promise that is fulfilled anyway.
 */
let last: Promise<unknown> | null = null;

/** A fulfilled promise of `value` (not a thenable), marked as such. */
export function fulfilled<T>(value: T): Promise<T> {
  const p = Promise.resolve(value);
  last = p;
  return p;
}

/** Marks a promise known to be fulfilled (a shared settled one). */
export function markFulfilled<T>(p: Promise<T>): Promise<T> {
  last = p;
  return p;
}

/** Whether `p` is the promise last marked: then it is fulfilled, and nothing needs to wait for it. */
export function isFulfilled(p: Promise<unknown>): boolean {
  return p === last;
}

/** Whether a handler's return value is a plain value (`Promise.resolve` of it is fulfilled at once). */
export function isPlainValue(value: unknown): boolean {
  if (value === null || (typeof value !== "object" && typeof value !== "function")) return true;
  return typeof (value as { then?: unknown }).then !== "function";
}
