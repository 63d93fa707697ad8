/**
 * One trace across nucleon and a real Moleculer 0.14 node, read back from a
 * real Zipkin server (scripts/zipkin.sh, 127.0.0.1:9411) over NATS:
 * root call → nuca.start (nucleon A) → molrelay.relay (Moleculer, its own
 * Zipkin exporter) → nucb.back (nucleon B) → event traced.done on nucleon C.
 */
import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { createConnection } from "node:net";
import { join } from "node:path";
import { Action, Context, Event, Service, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { waitUntil } from "../transit/cluster";

const ZIPKIN = "http://127.0.0.1:9411";

interface ZipkinSpan {
  traceId: string;
  id: string;
  parentId?: string;
  name: string;
  kind?: string;
  localEndpoint?: { serviceName?: string };
  tags?: Record<string, string>;
}

@Service({ name: "nuca" })
class NucA {
  @Action({ params: false })
  start(p: { n: number }, ctx: Context): Promise<unknown> {
    return ctx.call("molrelay.relay", p);
  }
}

@Service({ name: "nucb" })
class NucB {
  @Action({ params: false })
  async back(p: { n: number }, ctx: Context): Promise<number> {
    await ctx.emit("traced.done", { n: p.n });
    return p.n + 1;
  }
}

let done = 0;
@Service({ name: "nucc" })
class NucC {
  @Event("traced.done")
  onDone(): void {
    done++;
  }
}

function zipkinUp(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port: 9411 });
    const end = (ok: boolean) => (socket.destroy(), resolve(ok));
    socket.setTimeout(1000, () => end(false));
    socket.once("connect", () => end(true));
    socket.once("error", () => end(false));
  });
}

/** Polls Zipkin until the trace has `count` spans (bounded: 20 s). */
async function fetchTrace(traceId: string, count: number): Promise<ZipkinSpan[]> {
  const deadline = Date.now() + 20_000;
  let spans: ZipkinSpan[] = [];
  while (Date.now() < deadline) {
    const res = await fetch(`${ZIPKIN}/api/v2/trace/${traceId}`);
    if (res.ok) spans = (await res.json()) as ZipkinSpan[];
    if (spans.length >= count) return spans;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`Zipkin has ${spans.length} of ${count} spans of trace ${traceId}: ${JSON.stringify(spans.map((s) => s.name))}`);
}

describeWith("nats", "a trace across nucleon and Moleculer 0.14, in a real Zipkin", () => {
  const namespace = uniqueNamespace("zipkin-trace");
  let peer: ChildProcessWithoutNullStreams | undefined;
  const brokers: ServiceBroker[] = [];

  beforeAll(async () => {
    if (!(await zipkinUp())) {
      if (process.env.CI) throw new Error("Zipkin does not answer on 127.0.0.1:9411; CI requires it (scripts/zipkin.sh).");
      // eslint-disable-next-line no-console -- the skip reason must be visible
      console.warn("Zipkin is down on 127.0.0.1:9411 (start it with scripts/zipkin.sh): the cross-node trace is not checked.");
      return;
    }
    const env: NodeJS.ProcessEnv = { ...process.env, PEER_NODE_ID: "mol-tracer", PEER_NAMESPACE: namespace };
    delete env.NODE_OPTIONS;
    peer = spawn(process.execPath, [join(__dirname, "peer", "moleculer-tracing-peer.js")], { env, stdio: ["pipe", "pipe", "pipe"] });
    const ready = new Promise<void>((resolve, reject) => {
      peer!.stdout.on("data", (d: Buffer) => d.toString().includes("READY") && resolve());
      peer!.once("exit", (code) => reject(new Error(`Moleculer peer exited with ${code}`)));
    });
    const zipkin = { type: "Zipkin", options: { url: `${ZIPKIN}/api/v2/spans`, scheduledDelayMillis: 100 } };
    for (const [nodeID, service] of [["nuc-a", NucA], ["nuc-b", NucB], ["nuc-c", NucC]] as const) {
      const broker = new ServiceBroker({ nodeID, namespace, logger: false, transporter: BROKERS.nats.url, tracing: { exporter: zipkin } });
      broker.register(service);
      brokers.push(broker);
    }
    await Promise.all(brokers.map((b) => b.start()));
    await ready;
    await brokers[0].waitForServices(["molrelay", "nucb", "nucc"], 10_000);
  }, 40_000);

  afterAll(async () => {
    await Promise.all(brokers.map((b) => b.stop()));
    if (peer && peer.exitCode === null) {
      const exited = new Promise((r) => peer!.once("exit", r));
      peer.stdin.end();
      await exited;
    }
  }, 20_000);

  it("is ONE trace in Zipkin with the right parent links, Moleculer's span included", async () => {
    if (!peer) return; // Zipkin down outside CI: warned above
    const requestID = randomUUID();
    const result = await brokers[0].call("nuca.start", { n: 1 }, { requestID });
    expect(result).toEqual({ via: "mol-tracer", back: 2 });
    await waitUntil(() => done === 1, 5000);
    await Promise.all(brokers.map((b) => b.tracer!.flush()));

    const traceId = requestID.replace(/-/g, "").slice(0, 16);
    const spans = await fetchTrace(traceId, 5);
    const byName = (name: string) => {
      const found = spans.filter((s) => s.name === name);
      expect(found).toHaveLength(1);
      return found[0];
    };
    const root = byName("action 'nuca.start'");
    const caller = byName("call 'molrelay.relay'");
    const mol = byName("action 'molrelay.relay'");
    const back = byName("action 'nucb.back'");
    const event = byName("event 'traced.done' in 'nucc'");

    expect(spans).toHaveLength(5);
    expect(new Set(spans.map((s) => s.traceId))).toEqual(new Set([traceId]));
    expect(spans.filter((s) => s.parentId === undefined)).toEqual([root]);
    expect(caller.parentId).toBe(root.id);
    expect(caller.kind).toBe("CLIENT");
    expect(mol.parentId).toBe(root.id); // Moleculer links to the calling handler (ctx.parentID)
    expect(mol.localEndpoint?.serviceName).toBe("molrelay");
    expect(back.parentId).toBe(mol.id); // nucleon continues Moleculer's span
    expect(back.tags).toMatchObject({ callerNodeID: "mol-tracer", nodeID: "nuc-b", remoteCall: "true" });
    expect(event.parentId).toBe(back.id);
    expect(root.localEndpoint?.serviceName).toBe("nuca");
  }, 40_000);
});
