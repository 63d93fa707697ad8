import "reflect-metadata";
import { Action, Service } from "../../lib";
import { memoryCluster } from "../transit/cluster";
import { sample } from "./support";

@Service({ name: "echo" })
class Echo {
  @Action({ params: false })
  say(p: { text: string }): string {
    return p.text;
  }

  /** Answers after `ms`: late for a caller with a shorter timeout. */
  @Action({ params: false })
  async slow(p: { ms: number }): Promise<string> {
    await new Promise((resolve) => setTimeout(resolve, p.ms));
    return "late";
  }
}

describe("metrics: a remote call over the memory transporter", () => {
  it("counts the remote request, transit packets and transporter packets and bytes on both sides", async () => {
    const metrics = { defaultMetrics: false };
    const { brokers, stop } = await memoryCluster([
      { nodeID: "caller", options: { metrics } },
      { nodeID: "callee", services: [Echo], options: { metrics } },
    ]);
    const [caller, callee] = brokers;
    try {
      await caller.waitForServices("echo", 2000);
      const sentBefore = (await sample(caller, "moleculer_transporter_packets_sent_total")) ?? 0;
      const bytesBefore = (await sample(caller, "moleculer_transporter_packets_sent_bytes")) ?? 0;
      const gotBefore = (await sample(callee, "moleculer_transporter_packets_received_total")) ?? 0;

      await expect(caller.call("echo.say", { text: "hi" })).resolves.toBe("hi");

      const remote = { service: "echo", action: "echo.say", caller: "null" };
      expect(await sample(caller, "moleculer_request_total", { ...remote, type: "remote" })).toBe(1);
      expect(await sample(callee, "moleculer_request_total", { ...remote, type: "local" })).toBe(1);
      expect(await sample(caller, "moleculer_transit_requests_active")).toBe(0);
      expect(await sample(caller, "moleculer_transit_publish_total", { type: "REQ" })).toBe(1);
      expect(await sample(callee, "moleculer_transit_receive_total", { type: "REQ" })).toBe(1);
      expect(await sample(callee, "moleculer_transit_publish_total", { type: "RES" })).toBe(1);
      // At least the REQ went out (heartbeats may add more), with its bytes.
      expect(await sample(caller, "moleculer_transporter_packets_sent_total")).toBeGreaterThanOrEqual(sentBefore + 1);
      expect(await sample(caller, "moleculer_transporter_packets_sent_bytes")).toBeGreaterThan(bytesBefore + 20);
      expect(await sample(callee, "moleculer_transporter_packets_received_total")).toBeGreaterThanOrEqual(gotBefore + 1);
      expect(await sample(caller, "moleculer_registry_nodes_total")).toBe(2);
      expect(await sample(caller, "moleculer_registry_nodes_online_total")).toBe(2);

      const pong = await caller.ping("callee");
      // `+ 0`: a time difference of -0 reads back from the Prometheus text as 0.
      expect(await sample(caller, "moleculer_transit_pong_time", { targetNodeID: "callee" })).toBe(pong!.elapsedTime + 0);
      expect(await sample(caller, "moleculer_transit_pong_systime_diff", { targetNodeID: "callee" })).toBe(pong!.timeDiff + 0);
    } finally {
      await stop();
    }
  });
});

describe("metrics: orphan responses", () => {
  it("counts a response that arrives after its call timed out", async () => {
    const metrics = { defaultMetrics: false };
    const { brokers, stop } = await memoryCluster([
      { nodeID: "caller", options: { metrics } },
      { nodeID: "callee", services: [Echo], options: { metrics } },
    ]);
    const [caller] = brokers;
    try {
      await caller.waitForServices("echo", 2000);
      expect((await sample(caller, "moleculer_transit_orphan_response_total")) ?? 0).toBe(0);
      await expect(caller.call("echo.slow", { ms: 150 }, { timeout: 30 })).rejects.toThrow(/timed out|timeout/i);
      // The late RES is bounded in time: 150 ms after the call; read until it is counted (at most 3 s).
      const deadline = Date.now() + 3000;
      let orphans = 0;
      while (orphans === 0 && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        orphans = (await sample(caller, "moleculer_transit_orphan_response_total")) ?? 0;
      }
      expect(orphans).toBe(1);
    } finally {
      await stop();
    }
  });
});
