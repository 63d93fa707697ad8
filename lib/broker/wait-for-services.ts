import { NucleonError } from "../errors";
import { clampDelay } from "../utils/timer-limits";

/** Polls `ready` every `interval` ms until true, or fails after `timeout` ms (0 = wait forever). */
export function waitFor(ready: () => boolean, timeout: number, interval: number, describe: () => string): Promise<void> {
  if (ready()) return Promise.resolve();
  const startedAt = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setInterval(() => {
      if (ready()) {
        clearInterval(timer);
        resolve();
      } else if (timeout > 0 && Date.now() - startedAt >= timeout) {
        clearInterval(timer);
        reject(new NucleonError(describe(), 500, "WAITFOR_SERVICES"));
      }
    }, clampDelay(interval));
  });
}
