import { BrokerOptionsError } from "nucleon";
import { PluginFamily, resolvePlugin } from "../../lib/utils/resolve-plugin";

interface Thing {
  kind: string;
  options: Record<string, unknown>;
}
class Alpha implements Thing {
  kind = "alpha";
  constructor(readonly options: Record<string, unknown>) {}
}
class Beta implements Thing {
  kind = "beta";
  constructor(readonly options: Record<string, unknown>) {}
}
const family: PluginFamily<Thing> = {
  family: "thing",
  table: { Alpha, Beta },
  schemes: { alpha: "Alpha" },
  isInstance: (v): v is Thing => typeof v === "object" && v !== null && "kind" in v,
};

describe("resolvePlugin", () => {
  it("resolves a name case-insensitively", () => {
    expect(resolvePlugin(family, "beta").kind).toBe("beta");
  });
  it("resolves a URL by its scheme and passes the URL", () => {
    const t = resolvePlugin(family, "alpha://127.0.0.1:1");
    expect(t.kind).toBe("alpha");
    expect(t.options).toEqual({ url: "alpha://127.0.0.1:1" });
  });
  it("resolves { type, options }", () => {
    expect(resolvePlugin(family, { type: "Alpha", options: { x: 1 } }).options).toEqual({ x: 1 });
    expect(resolvePlugin(family, { type: "alpha://h", options: { x: 1 } }).options).toEqual({ x: 1, url: "alpha://h" });
  });
  it("returns an instance as is", () => {
    const own = new Beta({ mine: true });
    expect(resolvePlugin(family, own)).toBe(own);
  });
  it("rejects unknown names and schemes with a typed error", () => {
    expect(() => resolvePlugin(family, "gamma")).toThrow(BrokerOptionsError);
    expect(() => resolvePlugin(family, "gamma://x")).toThrow(/No thing for URL scheme/);
    expect(() => resolvePlugin(family, 42 as never)).toThrow(BrokerOptionsError);
  });
});
