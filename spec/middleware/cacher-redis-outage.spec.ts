import { Action, Cached, Service, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { TcpProxy } from "../support/tcp-proxy";

let computed = 0;

@Service({ name: "prices" })
class PricesService {
  @Action({ params: false })
  @Cached({ keys: ["sku"] })
  get(p: { sku: string }): { sku: string; price: number } {
    computed++;
    return { sku: p.sku, price: 10 };
  }
}

describeWith("redis", "cached calls while Redis goes away and comes back", () => {
  it("keeps answering (cache misses) during the outage and caches again afterwards", async () => {
    const proxy = new TcpProxy(BROKERS.redis.host, BROKERS.redis.port);
    const port = await proxy.start();
    const broker = new ServiceBroker({
      logger: false,
      cacher: { type: `redis://127.0.0.1:${port}`, options: { prefix: `${uniqueNamespace("outage")}-` } },
    });
    broker.register(PricesService);
    await broker.start();
    try {
      await broker.call("prices.get", { sku: "a" });
      await broker.call("prices.get", { sku: "a" });
      expect(computed).toBe(1);

      await proxy.stop();
      const during = await Promise.all(Array.from({ length: 20 }, () => broker.call("prices.get", { sku: "a" })));
      expect(during.every((r) => (r as { price: number }).price === 10)).toBe(true);
      expect(computed).toBeGreaterThan(1);

      await proxy.start(port);
      // ioredis reconnects on its own; once it has, a value set is served again.
      const deadline = Date.now() + 8000;
      let cachedAgain = false;
      while (!cachedAgain && Date.now() < deadline) {
        await broker.call("prices.get", { sku: "b" });
        const before = computed;
        await broker.call("prices.get", { sku: "b" });
        cachedAgain = computed === before;
        if (!cachedAgain) await new Promise((r) => setTimeout(r, 200));
      }
      expect(cachedAgain).toBe(true);
      await broker.cacher!.clean("**");
    } finally {
      await broker.stop();
      await proxy.stop();
    }
  });
});
