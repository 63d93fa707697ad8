import { createServer, type Server, type Socket } from "node:net";
import { ServiceBroker } from "nucleon";
import { TcpTransporter } from "../../../lib/transporters";
import { waitUntil } from "../../transit/cluster";

// Ports of this spec file only (jest workers run files in parallel), below the
// ephemeral range (32768–60999) so that no outgoing socket can be holding one.
const BASE = 27800;

describe("TCP transporter flush() (stream pacing towards peers that grant no credit)", () => {
  let server: Server;
  const sockets: Socket[] = [];
  let received = 0;
  let broker: ServiceBroker;
  let tcp: TcpTransporter;

  beforeAll(async () => {
    // A peer that reads nothing until told to.
    server = createServer((socket) => {
      sockets.push(socket);
      socket.pause();
      socket.on("data", (d: Buffer) => (received += d.length));
    });
    await new Promise<void>((resolve) => server.listen(BASE + 1, "127.0.0.1", resolve));
    tcp = new TcpTransporter({ host: "127.0.0.1", port: BASE, udpDiscovery: false, urls: { slow: `127.0.0.1:${BASE + 1}` } });
    broker = new ServiceBroker({ nodeID: "fast", namespace: "tcp-flush", transporter: tcp, logger: false, transit: { discoverWait: 20, stopDelay: 10 } });
    await broker.start();
  });

  afterAll(async () => {
    await broker.stop();
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
  });

  it("resolves at once when nothing is queued", async () => {
    await expect(tcp.flush()).resolves.toBeUndefined();
  });

  it("stays pending while the peer does not read, and resolves once it does", async () => {
    const frame = Buffer.alloc(900 * 1024, 7);
    for (let i = 0; i < 24; i++) await tcp.publish("REQ", "slow", frame);
    let flushed = false;
    const flushing = tcp.flush().then(() => (flushed = true));
    // The kernel takes what its buffers hold; the rest stays queued on our socket.
    await waitUntil(() => sockets.length === 1);
    // Asserting that something does not happen: give it a moment to (wrongly) resolve.
    await new Promise((r) => setTimeout(r, 200));
    expect(flushed).toBe(false);
    for (const s of sockets) s.resume();
    await flushing;
    expect(flushed).toBe(true);
    await waitUntil(() => received >= 24 * frame.length);
  });

  it("rejects when the transporter is not connected", async () => {
    const idle = new TcpTransporter({ udpDiscovery: false });
    await expect(idle.flush()).rejects.toThrow();
  });
});
