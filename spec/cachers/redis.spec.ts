import { createServer, type AddressInfo } from "node:net";
import { Redis } from "ioredis";
import { RedisCacher, type RedisCacherOptions } from "../../lib/cachers";
import type { Serializer } from "../../lib/serializers/serializer";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";
import { behavesLikeCacher } from "./cacher-behaviour";
import { captureLogger } from "./capture-logger";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

describeWith("redis", "RedisCacher", () => {
  // One prefix per run; every test's keys live under it and are scanned for at the end.
  const prefix = `${uniqueNamespace("nucleon-cache")}:`;
  let raw: Redis;
  const owned: RedisCacher[] = [];
  const make = (options: RedisCacherOptions = {}) => {
    const cacher = new RedisCacher({ url: BROKERS.redis.url, prefix, ...options });
    owned.push(cacher);
    return cacher;
  };

  beforeAll(() => {
    raw = new Redis(BROKERS.redis.url);
  });

  afterEach(async () => {
    for (const cacher of owned.splice(0)) {
      await cacher.clean();
      await cacher.close();
    }
  });

  afterAll(async () => {
    const leftovers = await raw.keys(`${prefix}*`);
    await raw.quit();
    expect(leftovers).toEqual([]);
  });

  behavesLikeCacher((options) => new RedisCacher({ url: BROKERS.redis.url, prefix, ...options }), {
    fakeTimers: false,
  });

  it("stores `<prefix><key>` as JSON with an EX ttl", async () => {
    const cacher = make();
    await cacher.set("users.1", { id: 1 }, 30);
    await cacher.set("users.2", [1], 0);
    expect((await raw.getBuffer(`${prefix}users.1`))?.toString()).toBe('{"id":1}');
    expect(await raw.ttl(`${prefix}users.1`)).toBeGreaterThan(28);
    expect(await raw.ttl(`${prefix}users.2`)).toBe(-1);
  });

  it("takes fractional ttls in milliseconds and reports the remaining ttl", async () => {
    const cacher = make();
    await cacher.set("frac", "v", 2.5);
    const pttl = await raw.pttl(`${prefix}frac`);
    expect(pttl).toBeGreaterThan(2000);
    expect(pttl).toBeLessThanOrEqual(2500);
    const { data, ttl } = await cacher.getWithTTL("frac");
    expect(data).toBe("v");
    expect(ttl).toBeGreaterThan(2);
    await expect(cacher.getWithTTL("missing")).resolves.toEqual({ data: undefined, ttl: null });
  });

  it("encodes with the given serializer", async () => {
    const serializer: Serializer = {
      name: "Reversed",
      serialize: (payload) => Buffer.from(JSON.stringify(payload)).reverse(),
      deserialize: (data) => JSON.parse(Buffer.from(data).reverse().toString()) as unknown,
    };
    const cacher = make({ serializer });
    await cacher.set("k", { a: 1 });
    expect((await raw.getBuffer(`${prefix}k`))?.toString()).toBe('}1:"a"{');
    await expect(cacher.get("k")).resolves.toEqual({ a: 1 });
  });

  it("treats an undecodable value as a miss, with a warning", async () => {
    const { logger, warnings } = captureLogger();
    const cacher = make({ logger });
    await raw.set(`${prefix}broken`, "{not json");
    await expect(cacher.get("broken")).resolves.toBeUndefined();
    expect(warnings()).toHaveLength(1);
  });

  it("scans with a prefix containing MATCH syntax", async () => {
    const odd = make({ prefix: `${prefix}[x]*?-` });
    const plain = make();
    await odd.set("users.1", 1);
    await plain.set("users.1", 2);
    await odd.clean("users.*");
    await expect(odd.get("users.1")).resolves.toBeUndefined();
    await expect(plain.get("users.1")).resolves.toBe(2);
  });

  it("cleans more keys than one SCAN page holds", async () => {
    const cacher = make();
    const pipeline = raw.pipeline();
    for (let i = 0; i < 1200; i++) pipeline.set(`${prefix}bulk.${i}`, "1");
    pipeline.set(`${prefix}keep.1`, "1");
    await pipeline.exec();
    await cacher.clean("bulk.*");
    expect(await raw.keys(`${prefix}bulk.*`)).toEqual([]);
    await expect(cacher.get("keep.1")).resolves.toBe(1);
  });

  it("serializes one key across two cachers with separate connections", async () => {
    const [a, b] = [make(), make()];
    let active = 0;
    let maxActive = 0;
    const fn = async () => {
      active++;
      maxActive = Math.max(maxActive, active);
      await sleep(5);
      active--;
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).lock("shared", fn)));
    expect(maxActive).toBe(1);
    expect(await raw.exists(`${prefix}shared-lock`)).toBe(0);
  });

  it("expires a lock whose holder died, so others are not blocked forever", async () => {
    const cacher = make();
    await raw.set(`${prefix}orphan-lock`, "someone-else", "PX", 150);
    const started = Date.now();
    await expect(cacher.lock("orphan", async () => "got it")).resolves.toBe("got it");
    expect(Date.now() - started).toBeGreaterThanOrEqual(100);
  });

  it("leaves a client it was given open on close()", async () => {
    const client = new Redis(BROKERS.redis.url);
    const cacher = new RedisCacher({ redis: client, prefix });
    await cacher.set("shared.client", 1);
    await expect(cacher.get("shared.client")).resolves.toBe(1);
    await cacher.clean();
    await cacher.close();
    expect(client.status).toBe("ready");
    expect(client.listenerCount("error")).toBe(0);
    await client.quit();
  });

  it("connects a lazyConnect client on first use", async () => {
    const cacher = make({ redis: { lazyConnect: true } });
    expect(cacher.client.status).toBe("wait");
    await cacher.set("lazy", 1);
    await expect(cacher.get("lazy")).resolves.toBe(1);
  });

  it("quits a connection it created on close(), and then stays quiet", async () => {
    const cacher = make();
    await cacher.set("k", 1);
    await cacher.clean();
    await cacher.close();
    expect(cacher.client.status).toBe("end");
    await expect(cacher.get("k")).resolves.toBeUndefined();
    await expect(cacher.lock("k", async () => 1)).resolves.toBe(1);
  });

  it("misses fast and warns once when Redis is unreachable from the start", async () => {
    // A port nothing listens on.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", () => resolve()));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const { logger, warnings } = captureLogger();
    const cacher = make({ url: `redis://127.0.0.1:${port}`, logger });
    const started = Date.now();
    await expect(cacher.get("k")).resolves.toBeUndefined();
    await cacher.set("k", 1);
    await cacher.del("k");
    await cacher.clean();
    await expect(cacher.lock("k", async () => "unlocked")).resolves.toBe("unlocked");
    expect(Date.now() - started).toBeLessThan(1000);
    expect(warnings()).toHaveLength(1);
  });
});
