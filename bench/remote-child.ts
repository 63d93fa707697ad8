/**
 * The child side of a remote case: started by `bench/remote.ts` with an IPC
 * channel, it starts its responder, reports `ready` (or `failed`), and stops
 * cleanly when told `stop`; `cpu` asks for its CPU time so far. Settings come from the environment.
 */
export type Transport = "nats" | "redis" | "tcp";

export interface ChildSettings {
  transport: Transport;
  /** "JSON" | "MsgPack" */
  serializer: "JSON" | "MsgPack";
  namespace: string;
  /** TCP only: every node's `host:port` by nodeID (the floor's port under "floor"). */
  tcpUrls: Record<string, string>;
}

export const URLS = { nats: "nats://127.0.0.1:4222", redis: "redis://127.0.0.1:6379" } as const;

/** What both frameworks are given: the broker URL, or their TCP transporter with everyone's address. */
export function transporterFor(transport: Transport, tcpUrls: Record<string, string>): string | { type: "TCP"; options: Record<string, unknown> } {
  if (transport !== "tcp") return URLS[transport];
  // `host` is nucleon's (Moleculer always listens on every interface and ignores it).
  return { type: "TCP", options: { host: "127.0.0.1", urls: tcpUrls, udpDiscovery: false } };
}

export function childSettings(): ChildSettings {
  const transport = process.env.BENCH_TRANSPORT;
  const serializer = process.env.BENCH_SERIALIZER ?? "JSON";
  const namespace = process.env.BENCH_NAMESPACE;
  if (transport !== "nats" && transport !== "redis" && transport !== "tcp") throw new Error(`BENCH_TRANSPORT must be nats, redis or tcp, not ${transport}`);
  if (serializer !== "JSON" && serializer !== "MsgPack") throw new Error(`BENCH_SERIALIZER must be JSON or MsgPack, not ${serializer}`);
  if (!namespace) throw new Error("BENCH_NAMESPACE is required");
  const tcpUrls = JSON.parse(process.env.BENCH_TCP_URLS ?? "{}") as Record<string, string>;
  return { transport, serializer, namespace, tcpUrls };
}

/** The two fixed subjects/channels of the bare-client floor. */
export function floorSubjects(namespace: string): { req: string; res: string } {
  return { req: `floor.${namespace}.req`, res: `floor.${namespace}.res` };
}

export type ChildMessage = { type: "ready" } | { type: "failed"; error: string } | { type: "cpu"; micros: number };

/** user + system CPU µs of this process so far. */
export function cpuMicros(): number {
  const u = process.cpuUsage();
  return u.user + u.system;
}

/** Runs `start` (which returns its stop function) and serves until the parent says `stop` or goes away. */
export function serve(start: (s: ChildSettings) => Promise<() => Promise<void>>): void {
  const send = (m: ChildMessage) => process.send?.(m);
  let stopping = false;
  start(childSettings()).then(
    (stop) => {
      const finish = () => {
        if (stopping) return;
        stopping = true;
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on("message", (m) => {
        if (m === "stop") finish();
        else if (m === "cpu") send({ type: "cpu", micros: cpuMicros() });
      });
      process.on("disconnect", finish);
      send({ type: "ready" });
    },
    (err: unknown) => {
      send({ type: "failed", error: String((err as Error)?.stack ?? err) });
      process.exit(1);
    },
  );
}
