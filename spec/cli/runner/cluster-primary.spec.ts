import { restartDelay } from "../../../lib/cli/runner/cluster-primary";

// The primary itself runs in spec/cli/runner/bin-instances.spec.ts (real workers).
describe("restartDelay", () => {
  it("doubles from the initial delay per restart, up to the cap", () => {
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => restartDelay(n, 1000, 30_000))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  });
});
