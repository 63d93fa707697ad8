import {
  Cachers,
  MemoryCacher,
  MemoryLRUCacher,
  RedisCacher,
  isCacher,
  resolveCacher,
  type Cacher,
} from "../../lib/cachers";
import { ServiceBroker } from "nucleon";
import { BrokerOptionsError } from "../../lib/errors";
import { MsgPackSerializer, type Serializer } from "../../lib/serializers";

describe("resolveCacher", () => {
  const made: Cacher[] = [];
  const resolve = (spec: Parameters<typeof resolveCacher>[0]) => {
    const cacher = resolveCacher(spec);
    made.push(cacher);
    return cacher;
  };

  afterEach(async () => {
    for (const cacher of made.splice(0)) await cacher.close();
  });

  it("knows Memory, MemoryLRU and Redis", () => {
    expect(Cachers.names()).toEqual(["Memory", "MemoryLRU", "Redis"]);
  });

  it("resolves names, case-insensitively", () => {
    expect(resolve("Memory")).toBeInstanceOf(MemoryCacher);
    expect(resolve("memorylru")).toBeInstanceOf(MemoryLRUCacher);
  });

  it("resolves { type, options }", () => {
    const cacher = resolve({ type: "MemoryLRU", options: { max: 10 } });
    expect(cacher).toBeInstanceOf(MemoryLRUCacher);
    expect((cacher as MemoryLRUCacher).max).toBe(10);
  });

  it("resolves redis:// and rediss:// URLs, with options", () => {
    const plain = resolve("redis://127.0.0.1:6379");
    expect(plain).toBeInstanceOf(RedisCacher);
    expect((plain as RedisCacher).prefix).toBe("MOL-");
    const withOptions = resolve({ type: "redis://127.0.0.1:6379", options: { prefix: "X-" } });
    expect((withOptions as RedisCacher).prefix).toBe("X-");
    const tls = resolve({ type: "rediss://127.0.0.1:6379", options: { redis: { lazyConnect: true } } });
    expect(tls).toBeInstanceOf(RedisCacher);
  });

  it("passes instances through, duck-typed", () => {
    const own = new MemoryCacher();
    made.push(own);
    expect(resolve(own)).toBe(own);
    const custom: Cacher = {
      get: async () => undefined,
      set: async () => undefined,
      del: async () => undefined,
      clean: async () => undefined,
      lock: (_key, fn) => fn(),
      close: async () => undefined,
    };
    expect(resolve(custom)).toBe(custom);
    expect(isCacher({ get: () => 1 })).toBe(false);
    expect(isCacher(null)).toBe(false);
  });

  it("rejects unknown names and schemes", () => {
    expect(() => resolveCacher("Memcached")).toThrow(BrokerOptionsError);
    expect(() => resolveCacher("memcached://host")).toThrow(BrokerOptionsError);
  });
});

describe("Cachers.register", () => {
  class TaggedRedisCacher extends RedisCacher {}
  afterEach(() => Cachers.unregister("Tagged"));

  const serializerOf = (cacher: Cacher | null) => (cacher as unknown as { serializer: Serializer }).serializer;

  it("resolves a user's cacher by its scheme; a Redis subclass gets the broker's serializer", async () => {
    Cachers.register("Tagged", TaggedRedisCacher, { schemes: ["tagged"] });
    const byUrl = new ServiceBroker({
      logger: false,
      serializer: "MsgPack",
      cacher: { type: "tagged://127.0.0.1:6379", options: { redis: { lazyConnect: true }, maxParamsLength: 10 } },
    });
    const byClass = new ServiceBroker({ logger: false, serializer: "MsgPack", cacher: { type: TaggedRedisCacher, options: { redis: { lazyConnect: true } } } });
    const memory = new ServiceBroker({ logger: false, serializer: "MsgPack", cacher: "Memory" });
    try {
      expect(byUrl.cacher).toBeInstanceOf(TaggedRedisCacher);
      expect(serializerOf(byUrl.cacher)).toBeInstanceOf(MsgPackSerializer);
      expect(serializerOf(byClass.cacher)).toBeInstanceOf(MsgPackSerializer);
      expect(memory.cacher).toBeInstanceOf(MemoryCacher);
    } finally {
      for (const broker of [byUrl, byClass, memory]) await broker.cacher?.close();
    }
  });
});
