import { BrokerOptionsError } from "nucleon";
import { PluginRegistry } from "../../lib/utils/plugin-registry";

interface Thing {
  kind: string;
  options: Record<string, unknown>;
  extra?: unknown;
}
class Alpha implements Thing {
  kind = "alpha";
  constructor(readonly options: Record<string, unknown>) {}
}
class Beta implements Thing {
  kind = "beta";
  constructor(readonly options: Record<string, unknown>) {}
}
const isThing = (v: unknown): v is Thing => typeof v === "object" && v !== null && "kind" in v;

function things(): PluginRegistry<Thing> {
  return new PluginRegistry<Thing>({ family: "thing", isInstance: isThing })
    .register("Alpha", Alpha, { schemes: ["alpha", "alphas"] })
    .register("Beta", Beta);
}

describe("PluginRegistry", () => {
  it("registers classes and lists their names as spelled", () => {
    const registry = things();
    expect(registry.names()).toEqual(["Alpha", "Beta"]);
    expect(registry.get("Beta")).toBe(Beta);
    expect(registry.has("gamma")).toBe(false);
  });

  it("matches names case-insensitively", () => {
    const registry = things();
    expect(registry.resolve("beta").kind).toBe("beta");
    expect(registry.resolve("ALPHA").kind).toBe("alpha");
    expect(registry.get("aLpHa")).toBe(Alpha);
  });

  it("resolves a URL by a scheme the plugin declared, passing the URL as options.url", () => {
    const registry = things();
    expect(registry.resolve("alpha://127.0.0.1:1").options).toEqual({ url: "alpha://127.0.0.1:1" });
    expect(registry.resolve("ALPHAS://h").kind).toBe("alpha");
    expect(registry.schemeOwner("alphas://")).toBe("Alpha");
    expect(registry.schemeOwner("beta")).toBeUndefined();
  });

  it("resolves { type, options } with a name, a URL or a class", () => {
    const registry = things();
    expect(registry.resolve({ type: "Alpha", options: { x: 1 } }).options).toEqual({ x: 1 });
    expect(registry.resolve({ type: "alpha://h", options: { x: 1 } }).options).toEqual({ x: 1, url: "alpha://h" });
    const built = registry.resolve({ type: Beta, options: { y: 2 } });
    expect(built).toBeInstanceOf(Beta);
    expect(built.options).toEqual({ y: 2 });
    expect(registry.resolve({ type: "beta" }).options).toEqual({});
  });

  it("passes an instance through and builds a class it is given", () => {
    const registry = things();
    const own = new Beta({ mine: true });
    expect(registry.resolve(own)).toBe(own);
    const made = registry.resolve(Alpha);
    expect(made).toBeInstanceOf(Alpha);
    expect(made.options).toEqual({});
  });

  it("throws BrokerOptionsError listing the known names for an unknown name", () => {
    const registry = things();
    let error: unknown;
    try {
      registry.resolve("Gamma");
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BrokerOptionsError);
    expect((error as Error).message).toBe("Unknown thing 'Gamma'. Known: Alpha, Beta.");
    expect((error as BrokerOptionsError).data).toEqual({ name: "Gamma", known: ["Alpha", "Beta"] });
  });

  it("rejects unknown schemes and shapes with a typed error", () => {
    const registry = things();
    expect(() => registry.resolve("gamma://x")).toThrow(
      new BrokerOptionsError("No thing for URL scheme 'gamma://'. Known schemes: alpha://, alphas://."),
    );
    expect(() => registry.resolve(42 as never)).toThrow(BrokerOptionsError);
    expect(() => registry.resolve({ options: {} } as never)).toThrow(/Invalid thing option/);
    expect(() => registry.register("x://y", Alpha)).toThrow(BrokerOptionsError);
    expect(() => registry.register("Delta", "nope" as never)).toThrow(/must be a class/);
  });

  it("replaces a registration under the same name (any case) and moves its schemes", () => {
    const registry = things();
    class Alpha2 extends Alpha {}
    registry.register("alpha", Alpha2, { schemes: ["alpha2"] });
    expect(registry.names()).toEqual(["Beta", "alpha"]);
    expect(registry.resolve("Alpha")).toBeInstanceOf(Alpha2);
    expect(registry.resolve("alpha2://h")).toBeInstanceOf(Alpha2);
    // The old plugin's schemes left with it.
    expect(() => registry.resolve("alphas://h")).toThrow(/No thing for URL scheme 'alphas:\/\/'/);
    // A scheme claimed by a newer plugin points at that one.
    registry.register("Beta", Beta, { schemes: ["alpha2"] });
    expect(registry.resolve("alpha2://h")).toBeInstanceOf(Beta);
    expect(registry.unregister("BETA")).toBe(true);
    expect(registry.unregister("Beta")).toBe(false);
    expect(() => registry.resolve("alpha2://h")).toThrow(BrokerOptionsError);
    expect(registry.names()).toEqual(["alpha"]);
  });

  it("passes a family's extra constructor arguments after the options", () => {
    class WithServices implements Thing {
      kind = "with";
      constructor(
        readonly options: Record<string, unknown>,
        readonly extra: { nodeID: string },
      ) {}
    }
    const registry = new PluginRegistry<Thing, Record<string, unknown>, [{ nodeID: string }]>({
      family: "thing",
      isInstance: isThing,
    }).register("With", WithServices);
    const services = { nodeID: "n1" };
    expect(registry.resolve({ type: "with", options: { a: 1 } }, services)).toMatchObject({ options: { a: 1 }, extra: services });
    expect(registry.resolve(WithServices, services).extra).toBe(services);
  });
});
