import { DeadlineTimers } from "../../lib/utils/deadline-timers";

describe("DeadlineTimers", () => {
  it("fires each deadline once, never early, and skips cancelled ones", async () => {
    const timers = new DeadlineTimers(5);
    const fired: Array<{ name: string; after: number }> = [];
    const start = Date.now();
    const entry = (name: string) => ({ fire: () => fired.push({ name, after: Date.now() - start }) });
    const a = entry("a");
    const b = entry("b");
    const c = entry("c");
    timers.add(a, 20);
    const handleB = timers.add(b, 20);
    timers.add(c, 40);
    timers.cancel(handleB, b);
    await new Promise((r) => setTimeout(r, 80));
    expect(fired.map((f) => f.name)).toEqual(["a", "c"]);
    expect(fired[0].after).toBeGreaterThanOrEqual(19);
    expect(fired[1].after).toBeGreaterThanOrEqual(39);
  });

  it("shares one bucket between deadlines that round to the same time", () => {
    const timers = new DeadlineTimers(1e9); // a bucket boundary is days away
    const one = timers.add({ fire: () => undefined }, 10);
    const two = timers.add({ fire: () => undefined }, 12);
    expect(one).toBe(two);
  });

  it("never arms a timer past 2^31 - 1 ms, even after rounding up to its bucket", async () => {
    const timers = new DeadlineTimers(1000); // rounding up almost surely crosses the limit
    let fired = false;
    const handle = timers.add({ fire: () => (fired = true) }, 2 ** 31 - 1);
    await new Promise((r) => setTimeout(r, 30)); // an overflowed timer fires after 1 ms
    expect(fired).toBe(false);
    timers.cancel(handle, { fire: () => undefined });
  });
});
