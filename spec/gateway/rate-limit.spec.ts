import { Agent, get as httpGet } from "node:http";
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

/**
 * Sends `total` GETs over `concurrency` keep-alive connections (node:http: a
 * 10,000-request burst takes a few seconds, not the half minute of fetch);
 * counts the answers by status. Bounded by 120 s.
 */
async function burst(urls: string[], total: number, concurrency = 64): Promise<Record<number, number>> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  const counts: Record<number, number> = {};
  let next = 0;
  const deadline = Date.now() + 120_000;
  const get = (url: string) =>
    new Promise<number>((resolve, reject) => {
      httpGet(url, { agent }, (res) => {
        res.resume();
        res.once("end", () => resolve(res.statusCode ?? 0));
      }).once("error", reject);
    });
  const worker = async () => {
    while (next < total && Date.now() < deadline) {
      const status = await get(urls[next++ % urls.length]);
      counts[status] = (counts[status] ?? 0) + 1;
    }
  };
  try {
    await Promise.all(Array.from({ length: concurrency }, worker));
  } finally {
    agent.destroy();
  }
  return counts;
}

beforeEach(() => (calls.length = 0));

describe("rate limiting", () => {
  it("limits a 10,000-request burst from one client to the window's quota (memory store)", async () => {
    const broker = new ServiceBroker({ nodeID: "gw-rl", logger: false });
    const Api = gatewayClass({ max: 100, timeWindow: 600_000 });
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
  }, 150_000);

  it("shares the quota between two gateways through Redis", async () => {
    if (!(await brokerAvailable("redis"))) return;
    const Api = gatewayClass({ max: 50, timeWindow: 600_000, redis: BROKERS.redis.url, prefix: uniqueNamespace("rl") });
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
