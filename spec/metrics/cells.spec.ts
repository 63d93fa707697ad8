import { RequestCell, TimingPolicy } from "../../lib/metrics/cells";

const nextTurn = () => new Promise((r) => setImmediate(r));

describe("TimingPolicy: sample-and-hold timing under a burst", () => {
  it("times the first call of a turn, then one in `every`; a new turn times the first call again", async () => {
    const policy = new TimingPolicy(4);
    const cell = new RequestCell({ action: "a" }, [1, 10]);
    const turn = Array.from({ length: 9 }, () => policy.timeNext(cell));
    expect(turn).toEqual([true, false, false, false, true, false, false, false, true]);
    await nextTurn();
    expect(policy.timeNext(cell)).toBe(true);
    expect(policy.timeNext(cell)).toBe(false);
  });

  it("times every call with every = 1, and each cell on its own", () => {
    const policy = new TimingPolicy(1);
    const a = new RequestCell({ action: "a" }, [1]);
    const b = new RequestCell({ action: "b" }, [1]);
    expect([policy.timeNext(a), policy.timeNext(a), policy.timeNext(b), policy.timeNext(b)]).toEqual([true, true, true, true]);
  });

  it("counts an untimed call with the last timed duration: counts stay exact", () => {
    const cell = new RequestCell({ action: "a" }, [1, 10]);
    cell.active = 3;
    cell.observe(5); // bucket ≤ 10
    cell.hold();
    cell.hold();
    expect(cell.count).toBe(3);
    expect(cell.sum).toBe(15);
    expect(cell.buckets).toEqual([0, 3, 0]);
    expect(cell.active).toBe(0);
  });
});
