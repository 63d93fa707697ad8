import { createSocket } from "node:dgram";
import { connect, type Socket } from "node:net";
import pino from "pino";
import { Action, Service, ServiceBroker } from "nucleon";
import { TcpTransporter, type TcpTransporterOptions } from "../../../lib/transporters";
import { FrameType, frameHeader } from "../../../lib/transporters/tcp/frame";
import { waitUntil } from "../../transit/cluster";

// Ports of this spec file only (jest workers run files in parallel), below the
// ephemeral range (32768–60999) so that no outgoing socket can be holding one.
const BASE = 27400;

@Service({ name: "echo" })
class EchoService {
  @Action({ params: false })
  hi(): string {
    return "hi";
  }
}

interface Node {
  broker: ServiceBroker;
  tcp: TcpTransporter;
  logs: Array<{ msg: string; [k: string]: unknown }>;
}

function makeNode(nodeID: string, tcp: TcpTransporterOptions, namespace = "faults"): Node {
  const logs: Node["logs"] = [];
  const transporter = new TcpTransporter({ host: "127.0.0.1", udpDiscovery: false, gossipPeriod: 0.1, ...tcp });
  const broker = new ServiceBroker({
    nodeID,
    namespace,
    transporter,
    logger: pino({ level: "info" }, { write: (line: string) => void logs.push(JSON.parse(line) as Node["logs"][number]) }),
    transit: { discoverWait: 20, stopDelay: 10 },
  });
  broker.register(EchoService);
  return { broker, tcp: transporter, logs };
}

/** Opens a raw socket to `port`; resolves once connected. */
function rawSocket(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = connect({ host: "127.0.0.1", port }, () => resolve(s));
    s.on("error", reject);
  });
}

function closed(s: Socket): Promise<void> {
  return new Promise((resolve) => (s.destroyed ? resolve() : s.once("close", () => resolve())));
}

function frame(type: number, body: Buffer): Buffer {
  const header = frameHeader(FrameType.EVENT, body.length);
  header[5] = type;
  header[0] = header[1] ^ header[2] ^ header[3] ^ header[4] ^ header[5];
  return Buffer.concat([header, body]);
}

describe("TCP transporter: bad input and faults", () => {
  const urls = { fa: `127.0.0.1:${BASE}`, fb: `127.0.0.1:${BASE + 1}` };
  let a: Node;
  let b: Node;

  beforeEach(async () => {
    a = makeNode("fa", { urls, handshakeTimeout: 800, frameTimeout: 800, idleTimeout: 1500, maxPacketSize: 4096 });
    b = makeNode("fb", { urls });
    await Promise.all([a.broker.start(), b.broker.start()]);
    await waitUntil(() => b.broker.registry.nodes.get("fa")?.available === true, 5000);
  });

  afterEach(async () => {
    await Promise.all([a.broker.stop(), b.broker.stop()]);
  });

  const stillServing = async () => expect(await b.broker.call("echo.hi", {}, { nodeID: "fa" })).toBe("hi");

  it.each([
    ["a wrong check byte", () => Buffer.from([0xff, 0, 0, 0, 10, 1, 0, 0, 0, 0])],
    // All zeros: a valid check byte (0 = XOR of zeros) and a total length of 0.
    ["a length under 6", () => Buffer.alloc(10)],
    ["a length over maxPacketSize", () => frame(FrameType.EVENT, Buffer.alloc(5000))],
    ["an unknown type", () => frame(42, Buffer.from("{}"))],
  ])("closes the socket that sends %s, with one log line, and keeps serving", async (_what, bytes) => {
    const before = a.logs.length;
    const s = await rawSocket(BASE);
    s.write(bytes());
    s.write(bytes()); // the socket is gone after the first
    await closed(s);
    const lines = a.logs.slice(before).filter((l) => /malformed frame/.test(l.msg));
    expect(lines).toHaveLength(1);
    await stillServing();
  });

  it("survives random bytes and an HTTP request", async () => {
    const junk = await rawSocket(BASE);
    junk.write(Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256)));
    const http = await rawSocket(BASE);
    http.write("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");
    await Promise.all([closed(junk), closed(http)]);
    await stillServing();
  });

  it("closes a slow sender (one byte at a time) and a silent socket after their timeouts", async () => {
    const slow = await rawSocket(BASE);
    const body = Buffer.from(JSON.stringify({ ver: "4", sender: "x" }));
    const bytes = frame(FrameType.GOSSIP_HELLO, body);
    let i = 0;
    const drip = setInterval(() => !slow.destroyed && i < bytes.length && slow.write(bytes.subarray(i, ++i)), 100);
    const silent = await rawSocket(BASE);
    const startedAt = Date.now();
    await Promise.all([closed(slow), closed(silent)]);
    clearInterval(drip);
    expect(i).toBeLessThan(bytes.length); // closed before it finished its frame
    expect(Date.now() - startedAt).toBeLessThan(5000);
    await stillServing();
  });

  it("closes a socket idle after its first frame once idleTimeout passes", async () => {
    const s = await rawSocket(BASE);
    s.write(frame(FrameType.GOSSIP_HELLO, Buffer.from(JSON.stringify({ ver: "4", sender: "idle", host: null, port: 1 }))));
    const openedAt = Date.now();
    await closed(s);
    expect(Date.now() - openedAt).toBeGreaterThanOrEqual(1000); // past the handshake timeout: the frame counted
  });

  it("takes 1,000 sockets at once and keeps serving", async () => {
    const sockets = await Promise.all(Array.from({ length: 1000 }, () => rawSocket(BASE)));
    await stillServing();
    await waitUntil(() => a.tcp.sockets.incoming < 10, 5000);
    await Promise.all(sockets.map(closed));
    await stillServing();
  }, 20_000);
});

describe("TCP transporter: UDP input", () => {
  const UDP_PORT = BASE + 20;
  let a: Node;

  beforeEach(async () => {
    a = makeNode("ua", { port: BASE + 21, udpDiscovery: true, udpPort: UDP_PORT, udpMulticast: null, udpBroadcast: "127.255.255.255" }, "udpns");
    await a.broker.start();
  });

  afterEach(() => a.broker.stop());

  it("ignores malformed datagrams and other namespaces, and records a good one", async () => {
    const socket = createSocket("udp4");
    const send = (text: string | Buffer) =>
      new Promise<void>((resolve, reject) => socket.send(text, UDP_PORT, "127.0.0.1", (err) => (err ? reject(err) : resolve())));
    for (const bad of ["", "udpns", "udpns|x", "udpns|x|notaport", "udpns|x|70000", "udpns||4000", "a|b|c|d", Buffer.alloc(2000, 0x7c)]) await send(bad);
    await send("other|intruder|4000");
    await send("udpns|friend|4000");
    await waitUntil(() => a.broker.registry.nodes.has("friend"), 3000);
    socket.close();
    expect([...a.broker.registry.nodes.keys()].sort()).toEqual(["friend", "ua"]);
    expect(a.broker.registry.nodes.get("friend")?.available).toBe(false); // known by address only until its INFO
  });
});

describe("TCP transporter: peers down and many peers", () => {
  const started: ServiceBroker[] = [];
  afterEach(async () => {
    await Promise.all(started.splice(0).map((b) => b.stop()));
  });

  it("retries a down peer from urls with backoff, logging it once, and joins it when it comes up", async () => {
    const urls = { da: `127.0.0.1:${BASE + 30}`, db: `127.0.0.1:${BASE + 31}` };
    const a = makeNode("da", { urls });
    started.push(a.broker);
    await a.broker.start();
    // 3 s of gossip rounds every 100 ms towards a node that is not there.
    await new Promise((r) => setTimeout(r, 3000));
    const lines = a.logs.filter((l) => /Cannot connect to node 'db'/.test(l.msg));
    expect(lines).toHaveLength(1);
    const b = makeNode("db", { urls });
    started.push(b.broker);
    await b.broker.start();
    await waitUntil(() => a.broker.registry.nodes.get("db")?.available === true && b.broker.registry.nodes.get("da")?.available === true, 15_000);
    expect(await a.broker.call("echo.hi", {}, { nodeID: "db" })).toBe("hi");
  }, 25_000);

  it("keeps at most maxConnections outgoing sockets, closing the least recently used", async () => {
    const ids = ["la", "lb", "lc", "ld"];
    const urls = Object.fromEntries(ids.map((id, i) => [id, `127.0.0.1:${BASE + 40 + i}`]));
    const nodes = ids.map((id) => makeNode(id, id === "la" ? { urls, maxConnections: 2 } : { urls }));
    started.push(...nodes.map((n) => n.broker));
    await Promise.all(nodes.map((n) => n.broker.start()));
    const a = nodes[0];
    await waitUntil(() => ["lb", "lc", "ld"].every((id) => a.broker.registry.nodes.get(id)?.available === true), 10_000);
    for (let round = 0; round < 3; round++) {
      for (const id of ["lb", "lc", "ld"]) {
        expect(await a.broker.call("echo.hi", {}, { nodeID: id })).toBe("hi");
        expect(a.tcp.sockets.outgoing).toBeLessThanOrEqual(2);
      }
    }
  }, 20_000);
});
