import pino from "pino";
import { Action, BrokerOptionsError, Context, Event, NucleonClientError, Service, ServiceBroker } from "nucleon";
import { JSONSerializer } from "../../lib/serializers";
import { MemoryBus, MemoryTransporter } from "../../lib/transporters/memory";
import { memoryCluster, waitUntil } from "./cluster";

const heard: Array<{ node: string; headers: Record<string, unknown>; payload: unknown }> = [];

@Service({ name: "hdr" })
class HeaderService {
  /** Answers with the headers it got, and sets response headers. */
  @Action({ params: false })
  echo(_p: unknown, ctx: Context): Record<string, unknown> {
    ctx.responseHeaders.served = ctx.broker.nodeID;
    return { headers: ctx.headers, remote: ctx.remote };
  }

  @Action({ params: false })
  fails(_p: unknown, ctx: Context): never {
    ctx.responseHeaders = { why: "teapot" };
    throw new NucleonClientError("bad", 418, "TEAPOT");
  }

  /** A child call: headers are per call, not inherited, and its response headers stay with it. */
  @Action({ params: false })
  async nested(_p: unknown, ctx: Context): Promise<unknown> {
    return ctx.call("hdr.echo", {});
  }

  @Event("hdr.evt")
  onEvt(payload: unknown, ctx: Context): void {
    heard.push({ node: ctx.broker.nodeID, headers: { ...ctx.headers }, payload });
  }
}

const json = new JSONSerializer();

/** Every packet on the bus, decoded, with its subject. */
function tap(bus: MemoryBus): Array<{ subject: string; packet: Record<string, unknown> }> {
  const seen: Array<{ subject: string; packet: Record<string, unknown> }> = [];
  for (const cmd of ["REQ", "RES", "EVENT"]) {
    for (const node of ["a", "b"]) {
      const subject = `MOL.${cmd}.${node}`;
      bus.subscribe(subject, (data) => seen.push({ subject, packet: json.deserialize(data) as Record<string, unknown> }));
    }
  }
  return seen;
}

/** Calls `action` and returns the result (or error) with the response headers the caller got. */
async function callWithHeaders(broker: ServiceBroker, action: string, headers?: Record<string, unknown>) {
  let responseHeaders: Record<string, unknown> | undefined;
  const result = await broker
    .call(action, {}, { headers, onResponseHeaders: (h) => (responseHeaders = h) })
    .catch((err: unknown) => err);
  return { result, responseHeaders };
}

describe.each(["4", "5"] as const)('headers between two nucleon nodes, protocolVersion "%s"', (version) => {
  let a: ServiceBroker;
  let bus: MemoryBus;
  let stop: () => Promise<void>;
  let wire: ReturnType<typeof tap>;

  beforeAll(async () => {
    ({ brokers: [a], bus, stop } = await memoryCluster([{ nodeID: "a" }, { nodeID: "b", services: [HeaderService] }], { protocolVersion: version }));
    wire = tap(bus);
    await a.waitForServices("hdr", 2000);
  });
  afterAll(() => stop());
  beforeEach(() => {
    wire.length = 0;
    heard.length = 0;
  });

  const v5 = version === "5";

  it(v5 ? "a call's headers reach the remote handler; its responseHeaders reach the caller" : "v4 packets carry no headers: the remote handler sees none", async () => {
    const { result, responseHeaders } = await callWithHeaders(a, "hdr.echo", { auth: "t", n: 1 });
    expect(result).toEqual({ headers: v5 ? { auth: "t", n: 1 } : {}, remote: true });
    expect(responseHeaders).toEqual(v5 ? { served: "b" } : {});
    const req = wire.find((w) => w.subject === "MOL.REQ.b")!.packet;
    const res = wire.find((w) => w.subject === "MOL.RES.a")!.packet;
    expect(req.ver).toBe(version);
    expect(res.ver).toBe(version);
    if (v5) {
      expect(req.headers).toEqual({ auth: "t", n: 1 });
      expect(res.headers).toEqual({ served: "b" });
    } else {
      expect(req).not.toHaveProperty("headers");
      expect(res).not.toHaveProperty("headers");
    }
  });

  it("a call without headers sends {} in v5 (as Moleculer 0.15 does), nothing in v4; so does a RES without", async () => {
    await expect(a.call("hdr.nested")).resolves.toEqual({ headers: {}, remote: false });
    const req = wire.find((w) => w.subject === "MOL.REQ.b")!.packet;
    if (v5) expect(req.headers).toEqual({});
    else expect(req).not.toHaveProperty("headers");
    const res = wire.find((w) => w.subject === "MOL.RES.a")!.packet;
    // `nested` set no response headers of its own (its child's stay with it).
    if (v5) expect(res.headers).toEqual({});
    else expect(res).not.toHaveProperty("headers");
  });

  it("a failed call still hands the caller its response headers", async () => {
    const { result, responseHeaders } = await callWithHeaders(a, "hdr.fails", {});
    expect(result).toBeInstanceOf(NucleonClientError);
    expect(responseHeaders).toEqual(v5 ? { why: "teapot" } : {});
    const res = wire.find((w) => w.subject === "MOL.RES.a")!.packet;
    expect(res).toMatchObject({ ver: version, success: false });
    if (v5) expect(res.headers).toEqual({ why: "teapot" });
  });

  it("an event's headers reach the remote handler (v5)", async () => {
    await a.emit("hdr.evt", { x: 1 }, { headers: { e: "h" } });
    await waitUntil(() => heard.length === 1);
    expect(heard[0]).toEqual({ node: "b", headers: v5 ? { e: "h" } : {}, payload: { x: 1 } });
    const event = wire.find((w) => w.subject === "MOL.EVENT.b")!.packet;
    expect(event.ver).toBe(version);
    if (v5) expect(event.headers).toEqual({ e: "h" });
    else expect(event).not.toHaveProperty("headers");
  });
});

describe("mixed protocol versions", () => {
  it('a "5" node drops a "4" node\'s packets with one rate-limited log line, and neither sees the other', async () => {
    const bus = new MemoryBus();
    const logs: Array<Record<string, unknown>> = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
    const make = (nodeID: string, protocolVersion: "4" | "5", log: pino.Logger | false) =>
      new ServiceBroker({ nodeID, logger: log, protocolVersion, transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 20, stopDelay: 10 } });
    const v5 = make("v5", "5", logger);
    const v4 = make("v4", "4", false);
    v4.register(HeaderService);
    await Promise.all([v5.start(), v4.start()]);
    try {
      // v4's INFO and heartbeats keep coming: wait for the drop to be logged.
      await waitUntil(() => logs.some((l) => l.msg === "Dropped a packet of another protocol version"));
      expect(v5.registry.hasService("hdr")).toBe(false);
      expect(v4.registry.nodes.has("v5")).toBe(false);
      const drops = logs.filter((l) => l.msg === "Dropped a packet of another protocol version");
      expect(drops).toHaveLength(1);
      expect(drops[0]).toMatchObject({ ver: "4", sender: "v4" });
    } finally {
      await Promise.all([v5.stop(), v4.stop()]);
    }
  });

  it("refuses a protocolVersion it does not speak", () => {
    expect(() => new ServiceBroker({ logger: false, protocolVersion: "6" as never })).toThrow(BrokerOptionsError);
    expect(() => new ServiceBroker({ logger: false, protocolVersion: 5 as never })).toThrow(/"4" or "5"/);
  });
});
