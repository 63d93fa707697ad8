import { BrokerOptionsError, ShardStrategy, Strategies } from "nucleon";
import { murmur3 } from "../../lib/strategies/hash";
import { call, cluster, countBy, endpoint } from "./fixtures";

const ids = ["node-1", "node-2", "node-3"];
const three = () => ids.map((id) => endpoint(id));
/** The strategy's LRU, read for the cache tests. */
const cacheOf = (s: ShardStrategy) => (s as unknown as { cache: Map<string, string> }).cache;

describe("murmur3", () => {
  it("matches the reference MurmurHash3 x86_32 vectors", () => {
    expect(murmur3("")).toBe(0);
    expect(murmur3("", 1)).toBe(0x514e28b7);
    expect(murmur3("", 0xffffffff)).toBe(0x81f16f39);
    expect(murmur3("\0\0\0\0")).toBe(0x2362f9de);
    expect(murmur3("aaaa", 0x9747b28c)).toBe(0x5a97808a);
    expect(murmur3("abc")).toBe(0xb3dd93fa);
    expect(murmur3("hello")).toBe(0x248bfa47);
    expect(murmur3("Hello, world!", 0x9747b28c)).toBe(0x24884cba);
    expect(murmur3("The quick brown fox jumps over the lazy dog")).toBe(0x2e4ff723);
  });
});

describe("ShardStrategy", () => {
  it("is registered as 'Shard' with Moleculer's defaults", () => {
    expect(Strategies.get("shard")).toBe(ShardStrategy);
    const s = new ShardStrategy({ shardKey: "id" });
    expect([s.vnodes, s.ringSize, s.cacheSize]).toEqual([10, 2 ** 31, 1000]);
  });

  it("requires a shardKey and sane ring options", () => {
    expect(() => new ShardStrategy({})).toThrow(BrokerOptionsError);
    expect(() => new ShardStrategy({ shardKey: "#" })).toThrow(BrokerOptionsError);
    expect(() => new ShardStrategy({ shardKey: "id", vnodes: 0 })).toThrow(BrokerOptionsError);
    expect(() => new ShardStrategy({ shardKey: "id", ringSize: 1.5 })).toThrow(BrokerOptionsError);
  });

  it("sends the same key to the same node, every time", () => {
    const s = new ShardStrategy({ shardKey: "userID" });
    const list = three();
    const first = s.select(list, call({ userID: "u-42" })).id;
    for (let i = 0; i < 50; i++) expect(s.select(list, call({ userID: "u-42" })).id).toBe(first);
  });

  it("reads a nested params path, a '#' meta path, and lets ctx.options.shardKey win", () => {
    const byParams = new ShardStrategy({ shardKey: "user.id" });
    const byMeta = new ShardStrategy({ shardKey: "#tenant.id" });
    const list = three();
    const expected = byParams.select(list, call({ user: { id: 7 } })).id;
    expect(byMeta.select(list, call({}, { tenant: { id: 7 } })).id).toBe(expected);
    // The call's own key is hashed instead of the configured path's value.
    const explicit = byParams.select(list, call({ user: { id: 1 } }, {}, { shardKey: "7" })).id;
    expect(explicit).toBe(expected);
  });

  it("does not depend on the order of the endpoint list", () => {
    const s = new ShardStrategy({ shardKey: "k" });
    const list = three();
    const keys = Array.from({ length: 100 }, (_, i) => `key-${i}`);
    const before = keys.map((k) => s.select(list, call({ k })).id);
    const reversed = [...list].reverse();
    expect(keys.map((k) => s.select(reversed, call({ k })).id)).toEqual(before);
  });

  it("goes round-robin when the call has no key", () => {
    const s = new ShardStrategy({ shardKey: "userID" });
    const list = three();
    const picked = [
      s.select(list, call({})),
      s.select(list, call({ userID: null })),
      s.select(list, call("not an object")),
      s.select(list),
    ].map((e) => e.id);
    expect(picked).toEqual(["node-1", "node-2", "node-3", "node-1"]);
  });

  it("hashes numbers and objects as keys too", () => {
    const s = new ShardStrategy({ shardKey: "k" });
    const list = three();
    expect(s.select(list, call({ k: 12 })).id).toBe(s.select(list, call({ k: "12" })).id);
    expect(s.select(list, call({ k: { a: 1 } })).id).toBe(s.select(list, call({ k: { a: 1 } })).id);
  });

  describe("ring and cache upkeep", () => {
    it("keeps at most cacheSize keys, dropping the least recently used", () => {
      const s = new ShardStrategy({ shardKey: "k", cacheSize: 2 });
      const list = three();
      s.select(list, call({ k: "a" }));
      s.select(list, call({ k: "b" }));
      s.select(list, call({ k: "a" })); // "a" is now the most recent
      s.select(list, call({ k: "c" }));
      expect([...cacheOf(s).keys()]).toEqual(["a", "c"]);
    });

    it("rebuilds the ring only when the endpoint ids change", () => {
      const s = new ShardStrategy({ shardKey: "k" });
      const list = three();
      s.select(list, call({ k: "a" }));
      // A new array with the same ids (e.g. after a circuit breaker closed again) keeps the cache.
      s.select([...list], call({ k: "b" }));
      expect(cacheOf(s).size).toBe(2);
      s.select(list.slice(0, 2), call({ k: "c" }));
      expect([...cacheOf(s).keys()]).toEqual(["c"]);
    });

    it("works without a cache", () => {
      const s = new ShardStrategy({ shardKey: "k", cacheSize: 0 });
      const list = three();
      const id = s.select(list, call({ k: "a" })).id;
      expect(s.select(list, call({ k: "a" })).id).toBe(id);
      expect(cacheOf(s).size).toBe(0);
    });

    it("gives a key the first ring point at or after its hash, wrapping past the last", () => {
      // Oracle for a one-point-per-node ring: sorted points, first one >= hash, else the first.
      const ringSize = 1000;
      const points = ids.map((id) => ({ id, at: murmur3(`${id}-0`) % ringSize })).sort((a, b) => a.at - b.at);
      const owner = (key: string) => (points.find((p) => p.at >= murmur3(key) % ringSize) ?? points[0]).id;
      const s = new ShardStrategy({ shardKey: "k", ringSize, vnodes: 1 });
      const list = three();
      const keys = Array.from({ length: 300 }, (_, i) => `k${i}`);
      const wrapped = keys.filter((k) => murmur3(k) % ringSize > points[points.length - 1].at);
      expect(wrapped.length).toBeGreaterThan(0);
      expect(keys.map((k) => s.select(list, call({ k })).id)).toEqual(keys.map(owner));
    });
  });

  describe("on a 3-node cluster", () => {
    const keys = Array.from({ length: 3000 }, (_, i) => `customer-${i}`);

    it("spreads 3,000 keys over all three nodes, at least 20 % each", () => {
      const list = cluster(new ShardStrategy({ shardKey: "customerID" }), three());
      const counts = countBy(keys.map((customerID) => list.next(call({ customerID }))!.id));
      expect(Object.keys(counts).sort()).toEqual(ids);
      for (const id of ids) expect(counts[id]).toBeGreaterThanOrEqual(600);

    });

    it("evens the spread out with more virtual nodes", () => {
      const list = cluster(new ShardStrategy({ shardKey: "customerID", vnodes: 200 }), three());
      const counts = countBy(keys.map((customerID) => list.next(call({ customerID }))!.id));
      for (const id of ids) expect(counts[id]).toBeGreaterThanOrEqual(900);
    });

    it("moves only the keys of a node that leaves", () => {
      const list = cluster(new ShardStrategy({ shardKey: "customerID" }), three());
      const before = keys.map((customerID) => list.next(call({ customerID }))!.id);
      list.removeByNode("node-2");
      const after = keys.map((customerID) => list.next(call({ customerID }))!.id);

      const strayed = keys.filter((_, i) => before[i] !== "node-2" && after[i] !== before[i]);
      expect(strayed).toEqual([]);
      const moved = countBy(after.filter((_, i) => before[i] === "node-2"));
      // node-2's keys are shared by both survivors, not dumped on one.
      expect(Object.keys(moved).sort()).toEqual(["node-1", "node-3"]);
      expect(after).not.toContain("node-2");
    });

    it("moves keys only onto a node that joins", () => {
      const list = cluster(new ShardStrategy({ shardKey: "customerID" }), three());
      const before = keys.map((customerID) => list.next(call({ customerID }))!.id);
      list.add(endpoint("node-4"));
      const after = keys.map((customerID) => list.next(call({ customerID }))!.id);
      const strayed = keys.filter((_, i) => after[i] !== "node-4" && after[i] !== before[i]);
      expect(strayed).toEqual([]);
      expect(after.filter((id) => id === "node-4").length).toBeGreaterThan(300);
    });

    it("keeps an unavailable node's keys elsewhere and gets them back when it returns", () => {
      const nodes = three();
      const list = cluster(new ShardStrategy({ shardKey: "customerID" }), nodes);
      const before = keys.map((customerID) => list.next(call({ customerID }))!.id);
      nodes[0].available = false; // circuit breaker open on node-1
      const during = keys.map((customerID) => list.next(call({ customerID }))!.id);
      expect(during).not.toContain("node-1");
      nodes[0].available = true;
      expect(keys.map((customerID) => list.next(call({ customerID }))!.id)).toEqual(before);
    });
  });
});
