import { createHash } from "node:crypto";
import { cacheKey } from "../../lib/cachers";

describe("cacheKey", () => {
  describe("without keys (all params)", () => {
    it("serializes params Moleculer-style as key|value pairs", () => {
      expect(cacheKey("users.get", { id: 5, name: "Ada" }, {})).toBe("users.get:id|5|name|Ada");
    });

    it("is stable under key order, nested ones included", () => {
      const a = cacheKey("a", { x: 1, y: { p: 1, q: [1, 2] } }, {});
      const b = cacheKey("a", { y: { q: [1, 2], p: 1 }, x: 1 }, {});
      expect(a).toBe(b);
    });

    it("is distinct for distinct values", () => {
      const keys = [
        { id: 1 },
        { id: 2 },
        { id: [1, 2] },
        { id: [2, 1] },
        { id: null },
        { id: { deep: 1 } },
        { id: 1, extra: true },
        {},
      ].map((params) => cacheKey("a", params, {}));
      expect(new Set(keys).size).toBe(keys.length);
    });

    it("handles null, undefined, arrays, dates and scalars", () => {
      expect(cacheKey("a", { v: null }, {})).toBe("a:v|null");
      // Undefined properties vanish on the wire, so they do not change the key.
      expect(cacheKey("a", { v: undefined, w: 1 }, {})).toBe(cacheKey("a", { w: 1 }, {}));
      expect(cacheKey("a", { list: [1, "x", null, [true]] }, {})).toBe("a:list|[1|x|null|[true]]");
      expect(cacheKey("a", { at: new Date(1000) }, {})).toBe("a:at|1000");
      expect(cacheKey("a", null, {})).toBe("a:null");
      expect(cacheKey("a", undefined, {})).toBe("a:null");
      expect(cacheKey("a", {}, {})).toBe("a:");
      expect(cacheKey("a", [1, 2], {})).toBe("a:[1|2]");
    });
  });

  describe("with keys", () => {
    const params = { id: 7, filter: { status: "open", tags: ["b", "a"] }, "dotted.name": "lit" };
    const meta = { user: { id: "u1", roles: ["admin"] }, tenant: "t9" };

    it("joins the named values with '|'", () => {
      expect(cacheKey("posts.find", params, meta, ["id"])).toBe("posts.find:7");
      expect(cacheKey("posts.find", params, meta, ["id", "filter.status"])).toBe("posts.find:7|open");
    });

    it("reads #keys from meta, nested paths included", () => {
      expect(cacheKey("posts.find", params, meta, ["id", "#tenant", "#user.id"])).toBe("posts.find:7|t9|u1");
    });

    it("serializes object and array values, and keeps missing apart from null", () => {
      expect(cacheKey("a", params, meta, ["filter"])).toBe("a:status|open|tags|[b|a]");
      expect(cacheKey("a", params, meta, ["#user.roles"])).toBe("a:[admin]");
      expect(cacheKey("a", { v: null }, meta, ["v"])).toBe("a:null");
      expect(cacheKey("a", {}, meta, ["v"])).toBe("a:undefined");
      expect(cacheKey("a", params, undefined, ["#user.id"])).toBe("a:undefined");
    });

    it("prefers a key literally named with a dot", () => {
      expect(cacheKey("a", params, meta, ["dotted.name"])).toBe("a:lit");
    });

    it("ignores params outside the keys", () => {
      expect(cacheKey("a", { id: 1, page: 1 }, {}, ["id"])).toBe(cacheKey("a", { id: 1, page: 2 }, {}, ["id"]));
    });

    it("caches under the bare action name with an empty key list", () => {
      expect(cacheKey("a", { id: 1 }, {}, [])).toBe("a");
    });
  });

  describe("maxParamsLength", () => {
    const params = { text: "x".repeat(200) };
    const part = `text|${"x".repeat(200)}`;
    const hash = createHash("sha256").update(part).digest("base64");

    it("keeps short parts as they are", () => {
      expect(cacheKey("a", { id: 1 }, {}, undefined, 60)).toBe("a:id|1");
    });

    it("keeps the first max - 44 characters and hashes the whole part", () => {
      const key = cacheKey("a", params, {}, undefined, 60);
      expect(key).toBe(`a:${part.slice(0, 16)}${hash}`);
      expect(key.length - "a:".length).toBe(60);
    });

    it("uses the hash alone when max leaves no room for a prefix", () => {
      expect(cacheKey("a", params, {}, undefined, 44)).toBe(`a:${hash}`);
      expect(cacheKey("a", params, {}, undefined, 10)).toBe(`a:${hash}`);
    });

    it("still tells long parts apart when only their tails differ", () => {
      const one = cacheKey("a", { text: `${"x".repeat(200)}1` }, {}, undefined, 60);
      const two = cacheKey("a", { text: `${"x".repeat(200)}2` }, {}, undefined, 60);
      expect(one).not.toBe(two);
    });

    it("applies to the keys form too", () => {
      expect(cacheKey("a", params, {}, ["text"], 50)).toBe(
        `a:${"x".repeat(6)}${createHash("sha256").update("x".repeat(200)).digest("base64")}`,
      );
    });
  });
});
