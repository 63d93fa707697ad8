import { TraceSampler } from "nucleon";

const count = (s: TraceSampler, n: number) => Array.from({ length: n }, () => s.sample()).filter(Boolean).length;

describe("TraceSampler", () => {
  it("rate 1 samples every root, rate 0 none, rate 0.1 exactly one in ten", () => {
    expect(count(new TraceSampler({ rate: 1 }), 50)).toBe(50);
    expect(count(new TraceSampler({}), 50)).toBe(50);
    expect(count(new TraceSampler({ rate: 0 }), 50)).toBe(0);
    expect(count(new TraceSampler({ rate: 0.1 }), 100)).toBe(10);
  });

  it("tracesPerSecond lets that many through per second of its clock, whatever the rate", () => {
    let now = 0;
    const s = new TraceSampler({ rate: 1, tracesPerSecond: 2 }, () => now);
    expect(count(s, 10)).toBe(2);
    now += 500;
    expect(count(s, 10)).toBe(1);
    now += 10_000; // the bucket holds at most one second's worth
    expect(count(s, 10)).toBe(2);
  });
});
