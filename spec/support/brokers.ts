import { createConnection } from "node:net";

/** Local message brokers the integration suites use (loopback only). */
export const BROKERS = {
  nats: { host: "127.0.0.1", port: 4222, url: "nats://127.0.0.1:4222" },
  redis: { host: "127.0.0.1", port: 6379, url: "redis://127.0.0.1:6379" },
  mqtt: { host: "127.0.0.1", port: 1883, url: "mqtt://127.0.0.1:1883" },
  amqp: { host: "127.0.0.1", port: 5672, url: "amqp://guest:guest@127.0.0.1:5672" },
} as const;

export type BrokerName = keyof typeof BROKERS;

function probe(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/**
 * Whether the broker answers. In CI a missing broker is a failure (no suite
 * may silently skip); outside CI the suite skips with a printed reason.
 */
export async function brokerAvailable(name: BrokerName): Promise<boolean> {
  const { host, port } = BROKERS[name];
  const ok = await probe(host, port);
  if (ok) return true;
  if (process.env.CI) throw new Error(`${name} is not reachable on ${host}:${port}; CI requires it.`);
  // eslint-disable-next-line no-console -- the skip reason must be visible
  console.warn(`Skipping ${name} suite: nothing answers on ${host}:${port}.`);
  return false;
}

/** Unique per run, so parallel suites and reruns never share topics or keys. */
export function uniqueNamespace(prefix: string): string {
  return `${prefix}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}
