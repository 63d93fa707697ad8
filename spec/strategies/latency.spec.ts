import { BrokerOptionsError, LatencyStrategy, Strategies } from "nucleon";
import type { StrategyServices } from "nucleon";
import { cluster, countBy, endpoint, seedMathRandom } from "./fixtures";

/** A broker's services with a fake ping: fixed (or scripted) round trips per node. */
function fakeServices(rtt: Record<string, number | null | Array<number | null>>, nodeIDs?: string[]) {
  const ping = jest.fn(async (nodeID: string): Promise<number | null> => {
    const value = rtt[nodeID];
    if (Array.isArray(value)) return value.length > 1 ? (value.shift() ?? null) : (value[0] ?? null);
    return value ?? null;
  });
  const services: StrategyServices = { nodeID: "local", ping, nodeIDs: nodeIDs && (() => nodeIDs) };
  return { services, ping };
}

const strategies: LatencyStrategy[] = [];
function make(options: Record<string, unknown>, services: StrategyServices): LatencyStrategy {
  const s = new LatencyStrategy(options, services);
  strategies.push(s);
  return s;
}

afterEach(() => {
  for (const s of strategies.splice(0)) s.stop();
  jest.useRealTimers();
  jest.restoreAllMocks();
});

describe("LatencyStrategy", () => {
  it("is registered as 'Latency' with Moleculer's defaults", () => {
    expect(Strategies.get("Latency")).toBe(LatencyStrategy);
    const s = new LatencyStrategy({}, { nodeID: "local" });
    expect([s.sampleCount, s.lowLatency, s.collectCount, s.pingInterval]).toEqual([5, 10, 5, 10]);
  });

  it("rejects a non-positive pingInterval or collectCount", () => {
    expect(() => new LatencyStrategy({ pingInterval: 0 }, { nodeID: "x" })).toThrow(BrokerOptionsError);
    expect(() => new LatencyStrategy({ collectCount: 0 }, { nodeID: "x" })).toThrow(BrokerOptionsError);
  });

  it("picks at random before any ping answered", () => {
    jest.spyOn(Math, "random").mockReturnValue(0.4);
    const s = make({}, { nodeID: "local" });
    expect(s.select([endpoint("a"), endpoint("b"), endpoint("c")]).id).toBe("b");
  });

  it("prefers the fastest node once samples are collected, and writes node.latency", async () => {
    const { services } = fakeServices({ a: 40, b: 15, c: 90 }, ["a", "b", "c"]);
    const s = make({}, services);
    const list = [endpoint("a"), endpoint("b"), endpoint("c")];
    await s.collect();
    expect(s.select(list).id).toBe("b");
    expect(list.map((e) => e.node.latency)).toEqual([40, 15, 90]);
    expect(s.latencyOf("b")).toBe(15);
  });

  it("averages the last collectCount round trips", async () => {
    const { services } = fakeServices({ a: [100, 20, 10], b: 30 }, ["a", "b"]);
    const s = make({ collectCount: 2 }, services);
    await s.collect();
    expect(s.latencyOf("a")).toBe(100);
    await s.collect();
    expect(s.latencyOf("a")).toBe(60);
    await s.collect();
    expect(s.latencyOf("a")).toBe(15); // (20 + 10) / 2: the 100 ms sample aged out
    expect(s.select([endpoint("a"), endpoint("b")]).id).toBe("a");
  });

  it("takes a node under lowLatency at once, and counts the local node as 0 ms", async () => {
    const { services } = fakeServices({ a: 5, b: 1 }, ["a", "b"]);
    const s = make({ lowLatency: 10 }, services);
    await s.collect();
    expect(s.select([endpoint("a"), endpoint("b")]).id).toBe("a");
    const local = endpoint("local", { local: true });
    expect(s.select([endpoint("b"), local]).id).toBe("b");
    expect(s.select([local, endpoint("b")]).id).toBe("local");
    expect(local.node.latency).toBe(0);
  });

  it("keeps the last average when a ping fails, and treats never-answered nodes as unknown", async () => {
    const ping = jest.fn<Promise<number | null>, [string]>();
    ping.mockImplementation(async (id) => (id === "a" ? 50 : id === "b" ? 30 : null));
    const s = make({}, { nodeID: "local", ping, nodeIDs: () => ["a", "b", "c"] });
    await s.collect();
    ping.mockImplementation(async (id) => {
      if (id === "b") throw new Error("timeout");
      return id === "a" ? 50 : null;
    });
    await s.collect();
    expect(s.latencyOf("b")).toBe(30);
    expect(s.latencyOf("c")).toBeNull();
    expect(s.select([endpoint("c"), endpoint("a"), endpoint("b")]).id).toBe("b");
  });

  it("forgets nodes that left the cluster", async () => {
    const ids = ["a", "b"];
    const { services } = fakeServices({ a: 20, b: 30 }, ids);
    const s = make({}, services);
    await s.collect();
    ids.pop();
    await s.collect();
    expect(s.latencyOf("b")).toBeNull();
  });

  it("pings the nodes it has seen when the broker does not list them", async () => {
    const { services, ping } = fakeServices({ a: 20, b: 30 });
    delete services.nodeIDs;
    const s = make({}, services);
    s.select([endpoint("a"), endpoint("b"), endpoint("local", { local: true })]);
    await s.collect();
    expect(ping.mock.calls.map(([id]) => id).sort()).toEqual(["a", "b"]);
  });

  it("does nothing in the background without a ping service", () => {
    jest.useFakeTimers();
    const s = make({}, { nodeID: "local" });
    s.select([endpoint("a"), endpoint("b")]);
    expect(jest.getTimerCount()).toBe(0);
  });

  describe("ping timer", () => {
    it("starts on the first select only, then pings every pingInterval seconds", async () => {
      jest.useFakeTimers();
      const { services, ping } = fakeServices({ a: 20, b: 30 }, ["a", "b"]);
      const s = make({ pingInterval: 10 }, services);
      await jest.advanceTimersByTimeAsync(60_000);
      expect(ping).not.toHaveBeenCalled(); // idle: no select, no ping

      s.select([endpoint("a"), endpoint("b")]);
      await jest.advanceTimersByTimeAsync(0);
      expect(ping).toHaveBeenCalledTimes(2); // first round right away

      await jest.advanceTimersByTimeAsync(9_999);
      expect(ping).toHaveBeenCalledTimes(2);
      await jest.advanceTimersByTimeAsync(1);
      expect(ping).toHaveBeenCalledTimes(4);
      await jest.advanceTimersByTimeAsync(20_000);
      expect(ping).toHaveBeenCalledTimes(8);
    });

    it("stop() clears it; the next select starts it again", async () => {
      jest.useFakeTimers();
      const { services, ping } = fakeServices({ a: 20 }, ["a"]);
      const s = make({ pingInterval: 1 }, services);
      s.select([endpoint("a"), endpoint("b")]);
      await jest.advanceTimersByTimeAsync(3_000);
      expect(ping).toHaveBeenCalledTimes(4);
      s.stop();
      expect(jest.getTimerCount()).toBe(0);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(ping).toHaveBeenCalledTimes(4);

      s.select([endpoint("a"), endpoint("b")]);
      await jest.advanceTimersByTimeAsync(1_000);
      expect(ping).toHaveBeenCalledTimes(6);
    });

    it("stop() during a round in flight schedules no further round", async () => {
      jest.useFakeTimers();
      let answer: (ms: number) => void = () => undefined;
      const ping = jest.fn(() => new Promise<number | null>((resolve) => (answer = resolve)));
      const s = make({ pingInterval: 1 }, { nodeID: "local", ping, nodeIDs: () => ["a"] });
      s.select([endpoint("a"), endpoint("b")]);
      s.stop();
      answer(5);
      await jest.advanceTimersByTimeAsync(5_000);
      expect(ping).toHaveBeenCalledTimes(1);
      expect(jest.getTimerCount()).toBe(0);
    });

    it("is unref'd, so it never keeps the process alive", async () => {
      const spy = jest.spyOn(global, "setTimeout");
      const { services } = fakeServices({ a: 20 }, ["a"]);
      const s = make({ pingInterval: 10 }, services);
      s.select([endpoint("a"), endpoint("b")]);
      await s.collect();
      await new Promise((resolve) => setImmediate(resolve));
      const index = spy.mock.calls.findIndex(([, delay]) => delay === 10_000);
      expect(index).toBeGreaterThanOrEqual(0);
      expect((spy.mock.results[index].value as NodeJS.Timeout).hasRef()).toBe(false);
    });

    it("is shared by the strategies of one broker: one ping per node per round", async () => {
      jest.useFakeTimers();
      const { services, ping } = fakeServices({ a: 20, b: 30 }, ["a", "b"]);
      const first = make({}, services);
      const second = make({}, services);
      first.select([endpoint("a"), endpoint("b")]);
      second.select([endpoint("a"), endpoint("b")]);
      await jest.advanceTimersByTimeAsync(10_000);
      expect(ping).toHaveBeenCalledTimes(4); // 2 rounds × 2 nodes, not 2 × that
      expect(second.latencyOf("a")).toBe(20);
    });
  });

  describe("on a 3-node cluster", () => {
    it("sends the calls to the fastest node once samples are in", async () => {
      jest.useFakeTimers();
      seedMathRandom(7);
      const rtt = { "node-1": 45, "node-2": 25, "node-3": 70 };
      // Jittered round trips: node-2 is usually, not always, the fastest ping.
      const jitter = seedRandomJitter(11);
      const ping = jest.fn(async (id: string) => rtt[id as keyof typeof rtt] + jitter());
      const nodes = [endpoint("node-1"), endpoint("node-2"), endpoint("node-3")];
      const list = cluster(make({}, { nodeID: "local", ping, nodeIDs: () => nodes.map((n) => n.id) }), nodes);

      // Before the first samples: spread at random.
      const before = countBy(Array.from({ length: 300 }, () => list.next()!.id));
      expect(Object.keys(before).sort()).toEqual(["node-1", "node-2", "node-3"]);

      await jest.advanceTimersByTimeAsync(50_000); // 1 + 5 rounds
      expect(ping).toHaveBeenCalledTimes(18);
      const after = countBy(Array.from({ length: 1000 }, () => list.next()!.id));
      expect(after).toEqual({ "node-2": 1000 });

      // node-2 slows down: within collectCount rounds the average moves the traffic away.
      rtt["node-2"] = 200;
      await jest.advanceTimersByTimeAsync(50_000);
      expect(countBy(Array.from({ length: 1000 }, () => list.next()!.id))).toEqual({ "node-1": 1000 });
    });
  });
});

function seedRandomJitter(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return (state / 2147483648) * 10 - 5; // ±5 ms
  };
}
