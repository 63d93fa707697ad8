import { MemoryCacher, SWEEP_INTERVAL_MS } from "../../lib/cachers";
import { behavesLikeCacher } from "./cacher-behaviour";

describe("MemoryCacher", () => {
  behavesLikeCacher((options) => new MemoryCacher(options), { fakeTimers: true });

  afterEach(() => jest.useRealTimers());

  describe("clone", () => {
    it("hands out the stored reference by default", async () => {
      const cacher = new MemoryCacher();
      const value = { list: [1] };
      await cacher.set("k", value);
      expect(await cacher.get("k")).toBe(value);
      await cacher.close();
    });

    it("with `true` isolates the cache from callers mutating values", async () => {
      const cacher = new MemoryCacher({ clone: true });
      const value = { list: [1], when: new Date(0) };
      await cacher.set("k", value);
      value.list.push(2);
      const first = (await cacher.get("k")) as typeof value;
      expect(first).toEqual({ list: [1], when: new Date(0) });
      first.list.push(3);
      expect(await cacher.get("k")).toEqual({ list: [1], when: new Date(0) });
      await cacher.close();
    });

    it("uses a custom cloner", async () => {
      const clone = jest.fn((value: unknown) => ({ copy: value }));
      const cacher = new MemoryCacher({ clone });
      await cacher.set("k", 1);
      expect(await cacher.get("k")).toEqual({ copy: { copy: 1 } });
      expect(clone).toHaveBeenCalledTimes(2);
      await cacher.close();
    });
  });

  describe("expiry", () => {
    it("sweeps expired entries nobody reads on a timer, which close() stops", async () => {
      jest.useFakeTimers({ now: Date.now() });
      const cacher = new MemoryCacher({ ttl: 1 });
      await cacher.set("a", 1);
      await cacher.set("b", 2, 0);
      expect(cacher.size).toBe(2);
      jest.advanceTimersByTime(SWEEP_INTERVAL_MS);
      expect(cacher.size).toBe(1);
      expect(jest.getTimerCount()).toBe(1);
      await cacher.close();
      expect(jest.getTimerCount()).toBe(0);
    });

    it("drops an expired entry lazily on read", async () => {
      jest.useFakeTimers({ now: Date.now() });
      const cacher = new MemoryCacher();
      await cacher.set("a", 1, 2);
      jest.advanceTimersByTime(2000);
      expect(await cacher.get("a")).toBeUndefined();
      expect(cacher.size).toBe(0);
      await cacher.close();
    });
  });

  describe("lock", () => {
    it("lets the next caller in once a holder outlives the lock ttl", async () => {
      const cacher = new MemoryCacher();
      const order: string[] = [];
      let finishHung!: () => void;
      const hung = cacher.lock(
        "k",
        () =>
          new Promise<void>((resolve) => {
            order.push("hung");
            finishHung = resolve;
          }),
        20,
      );
      await cacher.lock("k", async () => void order.push("next"));
      expect(order).toEqual(["hung", "next"]);
      finishHung();
      await hung;
      await cacher.close();
    });
  });
});
