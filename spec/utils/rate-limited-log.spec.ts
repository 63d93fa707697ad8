import { RateLimitedLog } from "../../lib/utils/rate-limited-log";

describe("RateLimitedLog", () => {
  let now = 0;
  beforeEach(() => {
    now = 1_000_000;
    jest.spyOn(Date, "now").mockImplementation(() => now);
  });
  afterEach(() => jest.restoreAllMocks());

  it("logs one line per kind per interval, then reports how many it suppressed", () => {
    const lines: Array<[object, string]> = [];
    const log = new RateLimitedLog({ warn: (obj, msg) => lines.push([obj, msg]) }, 1000);
    expect(log.warn("bad", { n: 1 }, "Dropped")).toBe(true);
    for (let i = 0; i < 500; i++) log.warn("bad", { n: 2 }, "Dropped");
    expect(log.warn("other", { n: 3 }, "Other")).toBe(true);
    expect(lines).toEqual([
      [{ n: 1 }, "Dropped"],
      [{ n: 3 }, "Other"],
    ]);
    now += 1000;
    expect(log.warn("bad", { n: 4 }, "Dropped")).toBe(true);
    expect(lines[2]).toEqual([{ n: 4, suppressed: 500 }, "Dropped"]);
  });

  it("remembers a bounded number of kinds", () => {
    const lines: string[] = [];
    const log = new RateLimitedLog({ warn: (_o, msg) => lines.push(msg) }, 1000, 3);
    for (let i = 0; i < 10; i++) log.warn(`k${i}`, {}, `m${i}`);
    expect(lines).toHaveLength(10);
  });
});
