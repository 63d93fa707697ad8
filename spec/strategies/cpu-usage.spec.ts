import { BrokerOptionsError, CpuUsageStrategy, Strategies } from "nucleon";
import { cluster, countBy, endpoint, seedMathRandom } from "./fixtures";

afterEach(() => jest.restoreAllMocks());

describe("CpuUsageStrategy", () => {
  it("is registered as 'CpuUsage' with Moleculer's defaults", () => {
    expect(Strategies.get("cpuusage")).toBe(CpuUsageStrategy);
    const s = new CpuUsageStrategy({});
    expect([s.sampleCount, s.lowCpuUsage]).toEqual([3, 10]);
  });

  it("rejects options that are not numbers", () => {
    expect(() => new CpuUsageStrategy({ sampleCount: "3" })).toThrow(BrokerOptionsError);
  });

  it("takes the least busy endpoint when the whole list fits in the sample", () => {
    const s = new CpuUsageStrategy({});
    const list = [endpoint("a", { cpu: 50 }), endpoint("b", { cpu: 30 }), endpoint("c", { cpu: 70 })];
    expect(s.select(list).id).toBe("b");
  });

  it("takes an endpoint under lowCpuUsage at once, without looking further", () => {
    const s = new CpuUsageStrategy({ lowCpuUsage: 10 });
    const list = [endpoint("a", { cpu: 60 }), endpoint("b", { cpu: 8 }), endpoint("c", { cpu: 1 })];
    expect(s.select(list).id).toBe("b");
  });

  it("passes over nodes with unknown CPU", () => {
    const s = new CpuUsageStrategy({});
    const list = [endpoint("a"), endpoint("b", { cpu: 90 }), endpoint("c")];
    expect(s.select(list).id).toBe("b");
  });

  it("falls back to a random endpoint when no node reported its CPU", () => {
    jest.spyOn(Math, "random").mockReturnValue(0.7);
    const s = new CpuUsageStrategy({});
    expect(s.select([endpoint("a"), endpoint("b"), endpoint("c")]).id).toBe("c");
  });

  it("samples only sampleCount random endpoints of a longer list", () => {
    // Samples index 0, 5 and 9; index 2 is the idlest overall but is not sampled.
    jest.spyOn(Math, "random").mockReturnValueOnce(0.05).mockReturnValueOnce(0.55).mockReturnValueOnce(0.95);
    const cpus = [80, 70, 20, 70, 70, 40, 70, 70, 70, 60];
    const list = cpus.map((cpu, i) => endpoint(`n${i}`, { cpu }));
    expect(new CpuUsageStrategy({ sampleCount: 3 }).select(list).id).toBe("n5");
  });

  it("looks at the whole list when sampleCount is 0 or negative", () => {
    const list = [endpoint("a", { cpu: 50 }), endpoint("b", { cpu: 40 }), endpoint("c", { cpu: 30 }), endpoint("d", { cpu: 20 })];
    expect(new CpuUsageStrategy({ sampleCount: 0 }).select(list).id).toBe("d");
  });

  describe("on a 3-node cluster", () => {
    const nodes = () => [endpoint("node-1", { cpu: 55 }), endpoint("node-2", { cpu: 15 }), endpoint("node-3", { cpu: 85 })];

    it("sends every call to the least busy node (whole cluster sampled)", () => {
      const list = cluster(new CpuUsageStrategy({}), nodes());
      const counts = countBy(Array.from({ length: 1000 }, () => list.next()!.id));
      expect(counts).toEqual({ "node-2": 1000 });
    });

    it("sends nearly everything to the least busy node with a partial sample", () => {
      seedMathRandom(42);
      // Two random samples (with replacement) miss node-2 in (2/3)² of the calls, so the
      // idlest *sampled* node gets them: node-2 still dominates, node-3 only wins when sampled alone.
      const list = cluster(new CpuUsageStrategy({ sampleCount: 2 }), nodes());
      const counts = countBy(Array.from({ length: 3000 }, () => list.next()!.id));
      expect(counts["node-2"]).toBeGreaterThan(counts["node-1"]);
      expect(counts["node-2"]).toBeGreaterThan(1500);
      expect(counts["node-3"] ?? 0).toBeLessThan(counts["node-1"]);
    });

    it("follows the CPU as heartbeats update it", () => {
      const [a, b, c] = nodes();
      const list = cluster(new CpuUsageStrategy({}), [a, b, c]);
      expect(list.next()!.id).toBe("node-2");
      b.node.cpu = 95;
      c.node.cpu = 5;
      expect(list.next()!.id).toBe("node-3");
    });
  });
});
