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

/** The `waitForServices` timeout message; over the memory transporter it says why a peer may never show up. */
export function missingServicesMessage(missing: readonly string[], timeout: number, inProcessOnly: boolean): string {
  const base = `Services not available after ${timeout} ms: ${missing.join(", ")}`;
  if (!inProcessOnly) return base;
  return (
    `${base}. The "memory" transporter only connects brokers in the same process: ` +
    'brokers in other processes need a network transporter (e.g. "nats://127.0.0.1:4222" or "redis://127.0.0.1:6379").'
  );
}
