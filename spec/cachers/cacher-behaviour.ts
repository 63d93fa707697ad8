import type { Cacher } from "../../lib/cachers";

export interface CacherFactoryOptions {
  /** Default ttl (seconds) for the cacher under test. */
  ttl?: number;
}

export interface BehaviourOptions {
  /** Memory cachers run the ttl tests on jest fake timers; Redis needs real time. */
  fakeTimers: boolean;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The contract every cacher honours, run once per implementation. Each test
 * gets fresh cachers from `create`; they are cleaned and closed afterwards.
 */
export function behavesLikeCacher(
  create: (options?: CacherFactoryOptions) => Cacher | Promise<Cacher>,
  { fakeTimers }: BehaviourOptions,
): void {
  let made: Cacher[] = [];
  let cacher: Cacher;

  const make = async (options?: CacherFactoryOptions) => {
    const instance = await create(options);
    made.push(instance);
    return instance;
  };
  /** Starts the clock tests may move forward with `elapse`. */
  const startClock = () => {
    if (fakeTimers) jest.useFakeTimers({ now: Date.now() });
  };
  const elapse = async (ms: number) => {
    if (fakeTimers) jest.advanceTimersByTime(ms);
    else await sleep(ms);
  };

  beforeEach(async () => {
    cacher = await make();
  });

  afterEach(async () => {
    jest.useRealTimers();
    for (const instance of made) {
      await instance.clean();
      await instance.close();
    }
    made = [];
  });

  describe("get / set", () => {
    it("misses unknown keys with undefined", async () => {
      await expect(cacher.get("nothing.here")).resolves.toBeUndefined();
    });

    it("returns what was set and overwrites on a second set", async () => {
      await cacher.set("users.1", { id: 1, name: "Ada" });
      await expect(cacher.get("users.1")).resolves.toEqual({ id: 1, name: "Ada" });
      await cacher.set("users.1", { id: 1, name: "Grace" });
      await expect(cacher.get("users.1")).resolves.toEqual({ id: 1, name: "Grace" });
    });

    it("round-trips nested objects, arrays, null and scalars", async () => {
      const value = {
        list: [1, "two", null, { three: [3, [4]] }],
        nested: { deep: { deeper: { flag: true, none: null } } },
        empty: {},
        zero: 0,
        text: "héllo",
      };
      await cacher.set("values.complex", value);
      await cacher.set("values.null", null);
      await cacher.set("values.false", false);
      await cacher.set("values.zero", 0);
      await cacher.set("values.string", "");
      await cacher.set("values.array", [[], [null]]);
      await expect(cacher.get("values.complex")).resolves.toEqual(value);
      // A cached null is a hit, distinct from a miss.
      await expect(cacher.get("values.null")).resolves.toBeNull();
      await expect(cacher.get("values.false")).resolves.toBe(false);
      await expect(cacher.get("values.zero")).resolves.toBe(0);
      await expect(cacher.get("values.string")).resolves.toBe("");
      await expect(cacher.get("values.array")).resolves.toEqual([[], [null]]);
    });
  });

  describe("ttl", () => {
    it("expires per-call and default ttls; 0 means no expiry", async () => {
      startClock();
      const withDefault = await make({ ttl: 1 });
      await cacher.set("ttl.call", "short", 1);
      await cacher.set("ttl.forever", "long");
      await withDefault.set("ttl.default", "short");
      await withDefault.set("ttl.zero", "long", 0);
      await elapse(500);
      await expect(cacher.get("ttl.call")).resolves.toBe("short");
      await expect(withDefault.get("ttl.default")).resolves.toBe("short");
      await elapse(700);
      await expect(cacher.get("ttl.call")).resolves.toBeUndefined();
      await expect(withDefault.get("ttl.default")).resolves.toBeUndefined();
      await expect(cacher.get("ttl.forever")).resolves.toBe("long");
      await expect(withDefault.get("ttl.zero")).resolves.toBe("long");
    });
  });

  describe("del", () => {
    beforeEach(async () => {
      for (const key of ["a", "b", "c", "d"]) await cacher.set(`del.${key}`, key);
    });

    it("deletes one key", async () => {
      await cacher.del("del.a");
      await expect(cacher.get("del.a")).resolves.toBeUndefined();
      await expect(cacher.get("del.b")).resolves.toBe("b");
    });

    it("deletes many keys, ignoring missing ones and empty lists", async () => {
      await cacher.del(["del.b", "del.c", "del.missing"]);
      await cacher.del([]);
      await expect(cacher.get("del.b")).resolves.toBeUndefined();
      await expect(cacher.get("del.c")).resolves.toBeUndefined();
      await expect(cacher.get("del.a")).resolves.toBe("a");
      await expect(cacher.get("del.d")).resolves.toBe("d");
    });
  });

  describe("clean", () => {
    const keys = ["users.1", "users.2", "users.1.profile", "users", "posts.1", "posts.1.comments.7"];
    const present = async () => {
      const found: string[] = [];
      for (const key of keys) if ((await cacher.get(key)) !== undefined) found.push(key);
      return found;
    };

    beforeEach(async () => {
      for (const key of keys) await cacher.set(key, key);
    });

    it("`users.*` stays within one segment", async () => {
      await cacher.clean("users.*");
      expect(await present()).toEqual(["users.1.profile", "users", "posts.1", "posts.1.comments.7"]);
    });

    it("`users.**` crosses segments", async () => {
      await cacher.clean("users.**");
      expect(await present()).toEqual(["users", "posts.1", "posts.1.comments.7"]);
    });

    it("`**` and no pattern remove everything", async () => {
      await cacher.clean("**");
      expect(await present()).toEqual([]);
      for (const key of keys) await cacher.set(key, key);
      await cacher.clean();
      expect(await present()).toEqual([]);
    });

    it("takes several patterns, exact names and `?`", async () => {
      await cacher.clean(["users.?", "posts.1"]);
      expect(await present()).toEqual(["users.1.profile", "users", "posts.1.comments.7"]);
    });
  });

  describe("keys", () => {
    it("lists held keys, not deleted or expired ones, nor the keys of held locks", async () => {
      startClock();
      await cacher.set("k.1", 1);
      await cacher.set("k.2", 2);
      await cacher.set("k.short", 3, 1);
      await cacher.set("k.gone", 4);
      await cacher.del("k.gone");
      await elapse(1100);
      const listed = await cacher.lock("k.1", async () => cacher.keys!());
      expect(listed.sort()).toEqual(["k.1", "k.2"]);
    });
  });

  describe("lock", () => {
    it("runs 20 concurrent calls for one key one at a time", async () => {
      let active = 0;
      let maxActive = 0;
      let runs = 0;
      const fn = async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        const run = ++runs;
        await sleep(2);
        active--;
        return run;
      };
      const results = await Promise.all(Array.from({ length: 20 }, () => cacher.lock("lock.one", fn)));
      expect(maxActive).toBe(1);
      expect(new Set(results).size).toBe(20);
    });

    it("computes a missed key once when callers re-check under the lock", async () => {
      let computed = 0;
      const cachedCall = () =>
        cacher.lock("lock.miss", async () => {
          const hit = await cacher.get("lock.miss");
          if (hit !== undefined) return hit;
          computed++;
          await sleep(10);
          const value = { answer: 42 };
          await cacher.set("lock.miss", value);
          return value;
        });
      const results = await Promise.all(Array.from({ length: 20 }, cachedCall));
      expect(computed).toBe(1);
      for (const result of results) expect(result).toEqual({ answer: 42 });
    });

    it("runs different keys in parallel", async () => {
      let active = 0;
      let maxActive = 0;
      const fn = async () => {
        active++;
        maxActive = Math.max(maxActive, active);
        await sleep(30);
        active--;
      };
      await Promise.all(["k1", "k2", "k3", "k4", "k5"].map((key) => cacher.lock(`lock.${key}`, fn)));
      expect(maxActive).toBe(5);
    });

    it("passes fn's rejection through and releases the lock", async () => {
      await expect(
        cacher.lock("lock.fail", async () => {
          throw new Error("boom");
        }),
      ).rejects.toThrow("boom");
      await expect(cacher.lock("lock.fail", async () => "next")).resolves.toBe("next");
    });
  });
}
