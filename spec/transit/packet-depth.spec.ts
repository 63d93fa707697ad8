import { exceedsDepth } from "../../lib/transit/packet-depth";

function nested(levels: number): object {
  const root: Record<string, unknown> = {};
  let cur = root;
  for (let i = 1; i < levels; i++) cur = (cur.a = {}) as Record<string, unknown>;
  return root;
}

describe("exceedsDepth", () => {
  it("counts the packet itself as level 1, arrays and objects alike", () => {
    expect(exceedsDepth({ a: 1, b: "x" }, 1)).toBe(false);
    expect(exceedsDepth({ a: {} }, 1)).toBe(true);
    expect(exceedsDepth({ a: [[{}]] }, 4)).toBe(false);
    expect(exceedsDepth({ a: [[{}]] }, 3)).toBe(true);
    expect(exceedsDepth(nested(100), 100)).toBe(false);
    expect(exceedsDepth(nested(101), 100)).toBe(true);
  });

  it("treats primitives, null and Buffers as leaves", () => {
    expect(exceedsDepth(null, 1)).toBe(false);
    expect(exceedsDepth("x", 1)).toBe(false);
    expect(exceedsDepth({ b: Buffer.alloc(1_000_000), n: null }, 2)).toBe(false);
  });

  it("finds a deep branch after wide flat ones, and stays safe at 100,000 levels", () => {
    const wide: Record<string, unknown> = {};
    for (let i = 0; i < 1000; i++) wide[`k${i}`] = i;
    wide.deep = nested(200);
    expect(exceedsDepth(wide, 100)).toBe(true);
    expect(exceedsDepth(nested(100_000), 100)).toBe(true);
  });
});
