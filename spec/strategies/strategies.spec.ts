import { RandomStrategy, RoundRobinStrategy, Strategies } from "nucleon";

const endpoints = ["a", "b", "c"].map((id) => ({ id, local: false, node: { cpu: null } }));

describe("strategies", () => {
  it("RoundRobin visits each endpoint in turn", () => {
    const s = new RoundRobinStrategy();
    expect(Array.from({ length: 7 }, () => s.select(endpoints).id)).toEqual(["a", "b", "c", "a", "b", "c", "a"]);
  });

  it("RoundRobin copes with a list that shrank", () => {
    const s = new RoundRobinStrategy();
    s.select(endpoints);
    s.select(endpoints);
    expect(s.select(endpoints.slice(0, 1)).id).toBe("a");
  });

  it("Random spreads over all endpoints", () => {
    const s = new RandomStrategy();
    const counts: Record<string, number> = {};
    for (let i = 0; i < 3000; i++) counts[s.select(endpoints).id] = (counts[s.select(endpoints).id] ?? 0) + 1;
    for (const id of ["a", "b", "c"]) expect(counts[id]).toBeGreaterThan(700);
  });

  it("are listed by name", () => {
    expect(Strategies.names()).toEqual(expect.arrayContaining(["RoundRobin", "Random"]));
  });
});
