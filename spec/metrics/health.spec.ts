import "reflect-metadata";
import { ServiceBroker } from "../../lib";
import { memoryCluster } from "../transit/cluster";

describe("broker.health()", () => {
  it("follows the lifecycle without metrics (no prom-client needed)", async () => {
    const broker = new ServiceBroker({ nodeID: "h1", logger: false });
    expect(broker.health()).toEqual({
      live: true,
      ready: false,
      checks: { started: { ok: false, detail: "created" }, transporter: { ok: true, detail: "none configured" }, dependencies: { ok: true } },
    });
    await broker.start();
    expect(broker.health()).toMatchObject({ live: true, ready: true, checks: { started: { ok: true, detail: "started" } } });
    await broker.stop();
    expect(broker.health()).toMatchObject({ live: false, ready: false, checks: { started: { ok: false, detail: "stopped" } } });
  });

  it("is not ready while the transporter is disconnected", async () => {
    const { brokers, stop } = await memoryCluster([{ nodeID: "h2" }]);
    const [broker] = brokers;
    try {
      expect(broker.health().ready).toBe(true);
      await broker.transit!.transporter.disconnect(); // as when the connection to the message broker drops
      expect(broker.health()).toMatchObject({ ready: false, checks: { transporter: { ok: false, detail: "disconnected" } } });
    } finally {
      await stop();
    }
  });
});
