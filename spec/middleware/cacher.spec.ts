import { Action, BrokerOptions, Cached, Context, Service, ServiceBroker } from "nucleon";
import Redis from "ioredis";
import { MemoryCacher } from "../../lib/cachers/memory";
import { MsgPackSerializer } from "../../lib/serializers/msgpack";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";

let computed = 0;

@Service({ name: "users" })
class UsersService {
  @Action({ params: false })
  @Cached({ keys: ["id", "#tenant"], ttl: 60 })
  async get(p: { id: number; extra?: string }, ctx: Context): Promise<{ id: number; tenant: unknown; n: number }> {
    computed++;
    await new Promise((r) => setTimeout(r, 5));
    return { id: p.id, tenant: ctx.meta.tenant, n: computed };
  }

  @Action({ params: false })
  @Cached()
  list(p: Record<string, unknown>): { p: Record<string, unknown>; n: number } {
    computed++;
    return { p, n: computed };
  }

  @Action({ params: false })
  @Cached()
  fails(): never {
    computed++;
    throw new Error("not cached");
  }
}

async function start(cacher: BrokerOptions["cacher"]) {
  const broker = new ServiceBroker({ logger: false, cacher });
  broker.register(UsersService);
  await broker.start();
  return broker;
}

describe("cacher middleware (memory)", () => {
  beforeEach(() => (computed = 0));

  it("serves a hit from the cache, keyed by the listed params and #meta keys", async () => {
    const broker = await start("Memory");
    const first = await broker.call("users.get", { id: 1, extra: "a" }, { meta: { tenant: "t1" } });
    const second = await broker.call("users.get", { id: 1, extra: "b" }, { meta: { tenant: "t1" } });
    expect(second).toEqual(first);
    expect(computed).toBe(1);
    await broker.call("users.get", { id: 1 }, { meta: { tenant: "t2" } });
    await broker.call("users.get", { id: 2 }, { meta: { tenant: "t1" } });
    expect(computed).toBe(3);
    await broker.stop();
  });

  it("hashes all params when no keys are given, independent of key order", async () => {
    const broker = await start("Memory");
    await broker.call("users.list", { a: 1, b: { c: 2 } });
    await broker.call("users.list", { b: { c: 2 }, a: 1 });
    expect(computed).toBe(1);
    await broker.call("users.list", { a: 2, b: { c: 2 } });
    expect(computed).toBe(2);
    await broker.stop();
  });

  it("bypasses the read with meta.$cache === false, and caches only successes", async () => {
    const broker = await start("Memory");
    await broker.call("users.list", { q: 1 });
    await broker.call("users.list", { q: 1 }, { meta: { $cache: false } });
    expect(computed).toBe(2);
    await expect(broker.call("users.fails")).rejects.toThrow("not cached");
    await expect(broker.call("users.fails")).rejects.toThrow("not cached");
    expect(computed).toBe(4);
    await broker.stop();
  });

  it("cleans by glob pattern", async () => {
    const broker = await start("Memory");
    await broker.call("users.list", { q: 1 });
    await broker.cacher!.clean("users.*");
    await broker.call("users.list", { q: 1 });
    expect(computed).toBe(2);
    await broker.stop();
  });

  it("computes a stampede of concurrent misses once with lock", async () => {
    const broker = await start({ type: "Memory", options: { lock: true } });
    const results = await Promise.all(Array.from({ length: 50 }, () => broker.call("users.get", { id: 9 })));
    expect(computed).toBe(1);
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    await broker.stop();
  });

  it("accepts a cacher instance and hashes long keys", async () => {
    const cacher = new MemoryCacher({});
    const broker = await start({ type: "Memory", options: { maxParamsLength: 60 } });
    await broker.call("users.list", { long: "x".repeat(500) });
    await broker.stop();
    const own = await start(cacher);
    await own.call("users.list", { q: 1 });
    await expect(cacher.get("users.list:q|1")).resolves.toMatchObject({ p: { q: 1 } });
    await own.stop();
  });
});

describeWith("redis", "cacher middleware (redis)", () => {
  beforeEach(() => (computed = 0));

  it("caches across two brokers sharing Redis, under a per-run prefix", async () => {
    const prefix = `${uniqueNamespace("nucleon-cache")}-`;
    const spec = { type: BROKERS.redis.url, options: { prefix } };
    const a = await start(spec);
    const b = await start(spec);
    const first = await a.call("users.get", { id: 5 }, { meta: { tenant: "x" } });
    const second = await b.call("users.get", { id: 5 }, { meta: { tenant: "x" } });
    expect(second).toEqual(first);
    expect(computed).toBe(1);
    await a.cacher!.clean("**");
    await a.stop();
    await b.stop();
  });

  it("stores values with the broker's serializer", async () => {
    const prefix = `${uniqueNamespace("nucleon-cache-mp")}-`;
    const broker = new ServiceBroker({ logger: false, serializer: "MsgPack", cacher: { type: BROKERS.redis.url, options: { prefix } } });
    broker.register(UsersService);
    await broker.start();
    await broker.call("users.list", { q: 1 });
    const redis = new Redis(BROKERS.redis.url);
    const raw = await redis.getBuffer(`${prefix}users.list:q|1`);
    expect(raw).not.toBeNull();
    expect(new MsgPackSerializer().deserialize(raw as Buffer)).toEqual({ p: { q: 1 }, n: computed });
    expect(raw![0]).not.toBe(0x7b); // not JSON's "{"
    redis.disconnect();
    await broker.cacher!.clean("**");
    await broker.stop();
  });
});
