import { TransporterConnectTimeoutError } from "../errors";
import type { Transporter } from "../transporters/transporter";

/**
 * `transporter.connect()`, given up after `timeout` ms (0 = wait forever):
 * the transporter is then disconnected (its retry loop, clients and timers
 * end, so the process can exit) and the call rejects with
 * `TransporterConnectTimeoutError` naming the address without credentials.
 */
export async function connectWithin(transporter: Transporter, timeout: number): Promise<void> {
  if (!(timeout > 0)) return transporter.connect();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<false>((resolve) => (timer = setTimeout(() => resolve(false), timeout)));
  const connecting = transporter.connect().then(() => true as const);
  try {
    if (await Promise.race([connecting, timedOut])) return;
  } finally {
    clearTimeout(timer);
  }
  // The abandoned attempt rejects once disconnect() cancels it: expected, not an unhandled rejection.
  connecting.catch(() => undefined);
  await transporter.disconnect().catch(() => undefined);
  throw new TransporterConnectTimeoutError({ address: transporter.address ?? transporter.constructor.name, timeout });
}
