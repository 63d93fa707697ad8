import { Action, Service, ServiceBroker, ServiceNotFoundError } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { TcpProxy } from "../support/tcp-proxy";
import { waitUntil } from "./cluster";

@Service({ name: "far" })
class FarService {
  @Action({ params: false })
  ping(): string {
    return "pong";
  }
}

describeWith("nats", "the cluster heals after a node's connection drops", () => {
  it("goes offline on missed heartbeats, then re-announces itself on reconnect", async () => {
    const namespace = uniqueNamespace("heal");
    const proxy = new TcpProxy(BROKERS.nats.host, BROKERS.nats.port);
    const port = await proxy.start();
    const common = { namespace, logger: false as const, heartbeatInterval: 0.2, heartbeatTimeout: 0.8, transit: { discoverWait: 50, stopDelay: 10 } };
    const near = new ServiceBroker({ ...common, nodeID: "near", transporter: BROKERS.nats.url });
    const far = new ServiceBroker({
      ...common,
      nodeID: "far",
      transporter: { type: "NATS", options: { url: `nats://127.0.0.1:${port}`, reconnectTimeWait: 100 } },
    });
    far.register(FarService);
    const seen: Array<{ event: string; reconnected?: boolean; unexpected?: boolean }> = [];
    near.registerDescriptor(
      {
        name: "watch",
        fullName: "watch",
        settings: {},
        metadata: {},
        dependencies: [],
        actions: [],
        events: [
          { name: "$node.connected", group: "watch", method: "connected", options: {} },
          { name: "$node.disconnected", group: "watch2", method: "disconnected", options: {} },
        ],
      },
      {
        connected: (p: { node: { id: string }; reconnected: boolean }) => p.node.id === "far" && seen.push({ event: "connected", reconnected: p.reconnected }),
        disconnected: (p: { node: { id: string }; unexpected: boolean }) => p.node.id === "far" && seen.push({ event: "disconnected", unexpected: p.unexpected }),
      },
    );
    await near.start();
    await far.start();
    try {
      await near.waitForServices("far", 3000);
      await expect(near.call("far.ping")).resolves.toBe("pong");

      await proxy.stop();
      await waitUntil(() => seen.some((s) => s.event === "disconnected"), 5000);
      expect(seen.find((s) => s.event === "disconnected")).toEqual({ event: "disconnected", unexpected: true });
      await expect(near.call("far.ping")).rejects.toBeInstanceOf(ServiceNotFoundError);

      await proxy.start(port);
      await waitUntil(() => seen.some((s) => s.event === "connected" && s.reconnected === true), 8000);
      await near.waitForServices("far", 3000);
      await expect(near.call("far.ping")).resolves.toBe("pong");
    } finally {
      await far.stop();
      await near.stop();
      await proxy.stop();
    }
  });
});
