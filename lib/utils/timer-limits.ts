/**
 * The largest delay Node's timers honour (2^31 - 1 ms, about 24.8 days).
 * Above it `setTimeout` fires after 1 ms with a TimeoutOverflowWarning, so a
 * "very long" timeout would time out at once.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * A delay a timer can take. Used for per-call values (call `timeout`, an
 * action's `timeout`, `waitForServices` interval): a huge one means
 * "effectively forever", so it is clamped rather than rejected. Broker
 * options are checked at construction instead (see `resolveOptions`).
 */
export function clampDelay(ms: number): number {
  return ms > MAX_TIMER_MS ? MAX_TIMER_MS : ms;
}
