import { MemoryBus, MemoryTransporter, ServiceBroker } from "nucleon";

describe("waitForServices timeout error", () => {
  it('over the "memory" transporter, says it is in-process only', async () => {
    const broker = new ServiceBroker({ logger: false, nodeID: "mem-1", transporter: new MemoryTransporter({ bus: new MemoryBus() }) });
    await broker.start();
    try {
      const waiting = broker.waitForServices(["users"], 50, 10);
      await expect(waiting).rejects.toThrow("Services not available after 50 ms: users");
      await expect(waiting).rejects.toThrow('The "memory" transporter only connects brokers in the same process');
    } finally {
      await broker.stop();
    }
  });

  it("without it, names the missing services only", async () => {
    const broker = new ServiceBroker({ logger: false, nodeID: "solo" });
    await broker.start();
    const waiting = broker.waitForServices(["users"], 50, 10);
    await expect(waiting).rejects.toThrow("Services not available after 50 ms: users");
    await expect(waiting).rejects.not.toThrow("memory");
    await broker.stop();
  });
});
