import { LruMap, MemoryLRUCacher } from "../../lib/cachers";
import { behavesLikeCacher } from "./cacher-behaviour";

describe("MemoryLRUCacher", () => {
  behavesLikeCacher((options) => new MemoryLRUCacher(options), { fakeTimers: true });

  let cacher: MemoryLRUCacher;
  afterEach(() => cacher?.close());

  const present = async (keys: string[]) => {
    const found: string[] = [];
    for (const key of keys) if ((await cacher.get(key)) !== undefined) found.push(key);
    return found;
  };

  it("defaults to 1000 entries", async () => {
    cacher = new MemoryLRUCacher();
    expect(cacher.max).toBe(1000);
    for (let i = 0; i < 1005; i++) await cacher.set(`k${i}`, i);
    expect(cacher.size).toBe(1000);
    expect(await cacher.get("k4")).toBeUndefined();
    expect(await cacher.get("k5")).toBe(5);
  });

  it("evicts the least recently written entry beyond max", async () => {
    cacher = new MemoryLRUCacher({ max: 3 });
    for (const key of ["a", "b", "c", "d"]) await cacher.set(key, key);
    expect(cacher.size).toBe(3);
    expect(await present(["a", "b", "c", "d"])).toEqual(["b", "c", "d"]);
  });

  it("counts a read as a use", async () => {
    cacher = new MemoryLRUCacher({ max: 3 });
    for (const key of ["a", "b", "c"]) await cacher.set(key, key);
    await cacher.get("a");
    await cacher.set("d", "d");
    expect(await present(["a", "b", "c", "d"])).toEqual(["a", "c", "d"]);
  });

  it("counts an overwrite as a use and does not grow", async () => {
    cacher = new MemoryLRUCacher({ max: 3 });
    for (const key of ["a", "b", "c"]) await cacher.set(key, key);
    await cacher.set("a", "A");
    expect(cacher.size).toBe(3);
    await cacher.set("d", "d");
    expect(await present(["a", "b", "c", "d"])).toEqual(["a", "c", "d"]);
    expect(await cacher.get("a")).toBe("A");
  });

  it("frees room on del and clean", async () => {
    cacher = new MemoryLRUCacher({ max: 2 });
    await cacher.set("users.1", 1);
    await cacher.set("users.2", 2);
    await cacher.del("users.1");
    await cacher.set("posts.1", 3);
    expect(await present(["users.1", "users.2", "posts.1"])).toEqual(["users.2", "posts.1"]);
    await cacher.clean("users.*");
    expect(cacher.size).toBe(1);
  });

  it("rejects a max that is not a positive integer", () => {
    expect(() => new MemoryLRUCacher({ max: 0 })).toThrow(RangeError);
    expect(() => new MemoryLRUCacher({ max: 1.5 })).toThrow(RangeError);
  });

  it("LruMap reports evictions and peeks without touching recency", () => {
    const evicted: string[] = [];
    const map = new LruMap<number>(2, (key) => evicted.push(key));
    map.set("a", 1).set("b", 2);
    expect(map.peek("a")).toBe(1);
    map.set("c", 3);
    expect(evicted).toEqual(["a"]);
    expect([...map.keys()]).toEqual(["b", "c"]);
    expect(map.get("missing")).toBeUndefined();
  });
});
