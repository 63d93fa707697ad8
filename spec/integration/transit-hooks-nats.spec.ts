import { connect, type NatsConnection } from "nats";
import { Action, Context, Event, Middleware, Service, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { waitUntil } from "../transit/cluster";

const KEY = 0x5a;
const xor = (data: Buffer): Buffer => Buffer.from(data.map((b) => b ^ KEY));

/** What compression or encryption will be: bytes changed on send, restored on receive. */
const scrambling: Middleware = {
  name: "xor",
  transporterSend: (next) => (topic, data, meta) => next(topic, xor(data), meta),
  transporterReceive: (next) => (cmd, data, source) => next(cmd, xor(data), source),
};

const heard: string[] = [];

@Service({ name: "greeter" })
class Greeter {
  @Action({ params: false })
  hello(p: { name: string }, ctx: Context): string {
    return `hello ${p.name} from ${ctx.broker.nodeID}`;
  }

  @Event("greeted")
  onGreeted(p: { by: string }, ctx: Context): void {
    heard.push(`${ctx.broker.nodeID} heard ${p.by}`);
  }
}

function node(nodeID: string, namespace: string): ServiceBroker {
  const broker = new ServiceBroker({
    nodeID,
    namespace,
    logger: false,
    transporter: BROKERS.nats.url,
    middlewares: [scrambling],
    transit: { discoverWait: 50, stopDelay: 10 },
  });
  broker.register(Greeter);
  return broker;
}

describeWith("nats", "a transporterSend/transporterReceive middleware over real NATS", () => {
  const namespace = uniqueNamespace("hooks");
  const prefix = `MOL-${namespace}`;
  let a: ServiceBroker;
  let b: ServiceBroker;
  let raw: NatsConnection;
  const wire: { subject: string; data: Buffer }[] = [];

  beforeAll(async () => {
    raw = await connect({ servers: BROKERS.nats.url });
    // Every subject of the namespace, as the wire carries it.
    raw.subscribe(`${prefix}.>`, { callback: (_err, msg) => wire.push({ subject: msg.subject, data: Buffer.from(msg.data) }) });
    await raw.flush();
    a = node("a", namespace);
    b = node("b", namespace);
    await Promise.all([a.start(), b.start()]);
    await Promise.all([a.waitForServices("greeter", 3000), b.waitForServices("greeter", 3000)]);
    // Each local service answers waitForServices at once: wait for the other node's endpoint.
    const knows = (broker: ServiceBroker, other: string) => broker.registry.actions.get("greeter.hello")?.getByNode(other) !== undefined;
    await waitUntil(() => knows(a, "b") && knows(b, "a"));
  }, 15_000);

  afterAll(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await raw?.close();
  });

  it("lets two brokers call each other and receive each other's events", async () => {
    await expect(a.call("greeter.hello", { name: "ann" }, { nodeID: "b" })).resolves.toBe("hello ann from b");
    await expect(b.call("greeter.hello", { name: "bob" }, { nodeID: "a" })).resolves.toBe("hello bob from a");
    heard.length = 0;
    await a.broadcast("greeted", { by: "a" });
    await b.broadcast("greeted", { by: "b" });
    await waitUntil(() => heard.length === 4);
    expect(heard.sort()).toEqual(["a heard a", "a heard b", "b heard a", "b heard b"]);
  });

  it("puts changed bytes on the wire: no plain JSON, the JSON once the bytes are restored", async () => {
    await a.call("greeter.hello", { name: "wire" }, { nodeID: "b" });
    await raw.flush();
    const req = wire.find((m) => m.subject === `${prefix}.REQ.b` && xor(m.data).includes("wire"));
    expect(req).toBeDefined();
    const bytes = (req as { data: Buffer }).data;
    expect(() => JSON.parse(bytes.toString()) as unknown).toThrow();
    expect(bytes.includes("greeter.hello")).toBe(false);
    expect(JSON.parse(xor(bytes).toString())).toMatchObject({ ver: "4", sender: "a", action: "greeter.hello", params: { name: "wire" } });
    // Discovery went through the hook too: not one plain JSON packet in the namespace.
    expect(wire.length).toBeGreaterThan(5);
    for (const m of wire) expect(m.data[0]).not.toBe("{".charCodeAt(0));
  });
});
