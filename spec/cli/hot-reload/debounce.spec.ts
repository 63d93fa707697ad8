import { Debouncer } from "../../../lib/cli/hot-reload";

describe("Debouncer", () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("fires once per key after the quiet delay, however many pushes came", () => {
    const fired: string[] = [];
    const d = new Debouncer<string>(100, (k) => fired.push(k));
    d.push("a.ts");
    jest.advanceTimersByTime(60);
    d.push("a.ts"); // a second write of the same save restarts the wait
    d.push("b.ts");
    jest.advanceTimersByTime(99);
    expect(fired).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(fired).toEqual(["a.ts", "b.ts"]);
    expect(d.pending).toBe(0);
  });

  it("cancel() drops what is pending", () => {
    const fired: string[] = [];
    const d = new Debouncer<string>(100, (k) => fired.push(k));
    d.push("a.ts");
    d.cancel();
    jest.advanceTimersByTime(500);
    expect(fired).toEqual([]);
  });
});
