import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { BROKERS, brokerAvailable, uniqueNamespace } from "../support/brokers";
import { calls, MathService } from "./support/services";

function gatewayClass(rateLimit: GatewaySettings["rateLimit"]) {
  @Service({ name: "api" })
  class ApiGateway extends Gateway {
    override settings: GatewaySettings = { port: 0, logRequests: false, rateLimit, routes: [{ path: "/api", aliases: { "GET /add": "math.add" } }] };
  }
  return ApiGateway;
}

/** Sends `total` GETs over `concurrency` parallel loops; counts the answers by status. */
async function burst(urls: string[], total: number, concurrency = 64): Promise<Record<number, number>> {
  const counts: Record<number, number> = {};
  let next = 0;
  const deadline = Date.now() + 60_000;
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      const url = urls[next++ % urls.length];
      const res = await fetch(url);
      await res.arrayBuffer();
      counts[res.status] = (counts[res.status] ?? 0) + 1;
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return counts;
}

beforeEach(() => (calls.length = 0));

describe("rate limiting", () => {
  it("limits a 10,000-request burst from one client to the window's quota (memory store)", async () => {
    const broker = new ServiceBroker({ nodeID: "gw-rl", logger: false });
    const Api = gatewayClass({ max: 100, timeWindow: 60_000 });
    broker.register(MathService, Api);
    await broker.start();
    try {
      const url = `${broker.getLocalService(Api)!.url}/api/add?a=1&b=2`;
      const counts = await burst([url], 10_000);
      expect(counts).toEqual({ 200: 100, 429: 9_900 });
      expect(calls.length).toBe(100);
      const limited = await fetch(url);
      expect(limited.status).toBe(429);
      expect(limited.headers.get("retry-after")).not.toBeNull();
    } finally {
      await broker.stop();
    }
  }, 90_000);

  it("shares the quota between two gateways through Redis", async () => {
    if (!(await brokerAvailable("redis"))) return;
    const Api = gatewayClass({ max: 50, timeWindow: 60_000, redis: BROKERS.redis.url, prefix: uniqueNamespace("rl") });
    const a = new ServiceBroker({ nodeID: "gw-rl-a", logger: false });
    const b = new ServiceBroker({ nodeID: "gw-rl-b", logger: false });
    a.register(MathService, Api);
    b.register(MathService, Api);
    await Promise.all([a.start(), b.start()]);
    try {
      const urls = [a, b].map((broker) => `${broker.getLocalService(Api)!.url}/api/add?a=1&b=2`);
      const counts = await burst(urls, 400, 16);
      expect(counts).toEqual({ 200: 50, 429: 350 });
      expect(calls.length).toBe(50);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  }, 30_000);
});
