import pino from "pino";
import { type Context, RoundRobinStrategy, ServiceNotFoundError } from "nucleon";
import { type TransitHostParts, createTransitHost } from "../../lib/broker/transit-host";
import { ActionEndpoint, type ActionHandler } from "../../lib/registry/endpoint";
import { NodeInfo } from "../../lib/registry/node";
import { Registry, registeredService } from "../../lib/registry/registry";
import type { ServiceDescriptor } from "../../lib/service/descriptor";

function service(name: string, actions: Array<{ raw: string; visibility?: "published" | "protected" }>, events: string[] = []): ServiceDescriptor {
  return {
    name,
    fullName: name,
    settings: {},
    metadata: {},
    dependencies: [],
    actions: actions.map(({ raw, visibility = "published" }) => ({ name: `${name}.${raw}`, rawName: raw, method: raw, visibility, params: false, options: {} })),
    events: events.map((e) => ({ name: e, group: name, method: e, options: {} })),
  };
}

const ctx = { params: { x: 1 } } as unknown as Context;

function setup(overrides: Partial<TransitHostParts> = {}) {
  const registry = new Registry("local", { preferLocal: true, makeStrategy: () => new RoundRobinStrategy() });
  const called: Array<{ endpoint: ActionEndpoint; ctx: Context }> = [];
  const wrapped: ActionEndpoint[] = [];
  const remoteRequest: ActionHandler = () => Promise.resolve("sent");
  let stopping = false;
  const options = { metadata: { zone: "a" } as Record<string, unknown>, disableBalancer: true };
  const host = createTransitHost({
    nodeID: "local",
    instanceID: "i1",
    namespace: "ns",
    logger: pino({ level: "silent" }),
    options,
    registry,
    callEndpoint: (endpoint, c) => {
      called.push({ endpoint, ctx: c });
      return Promise.resolve(`ran ${endpoint.action.name}`);
    },
    deliverIncoming: () => Promise.resolve(),
    wrapRemoteAction: (handler, endpoint) => {
      wrapped.push(endpoint);
      return (c) => handler(c).then((r) => `wrapped ${String(r)}`);
    },
    remoteRequest,
    broadcastLocal: () => Promise.resolve(),
    isStopping: () => stopping,
    createContext: () => ctx,
    ...overrides,
  });
  const addLocal = (d: ServiceDescriptor) => {
    const item = registeredService(d, registry.localNode);
    const actions = d.actions.map((a) => new ActionEndpoint(registry.localNode, item, a, () => Promise.resolve(null)));
    registry.registerService(item, actions, []);
    return actions;
  };
  return { host, registry, called, wrapped, options, addLocal, setStopping: (v: boolean) => (stopping = v) };
}

describe("createTransitHost (the broker side of transit's port)", () => {
  it("serves a request on the local endpoint, through the dispatcher's callEndpoint", async () => {
    const { host, called, addLocal } = setup();
    addLocal(service("math", [{ raw: "add" }]));
    await expect(host.serve("math.add", ctx)).resolves.toBe("ran math.add");
    expect(called).toHaveLength(1);
    expect(called[0].ctx).toBe(ctx);
    expect(called[0].endpoint.local).toBe(true);
  });

  it("refuses an unknown action, a remote-only one and a protected one with ServiceNotFoundError", async () => {
    const { host, called, addLocal } = setup();
    addLocal(service("math", [{ raw: "secret", visibility: "protected" }]));
    host.nodeServicesChanged(new NodeInfo("other", false), [service("users", [{ raw: "get" }])]);
    for (const action of ["math.nope", "math.secret", "users.get"]) {
      await expect(host.serve(action, ctx)).rejects.toBeInstanceOf(ServiceNotFoundError);
    }
    expect(called).toHaveLength(0);
  });

  it("builds a node's remote endpoints with the remote chain, and replaces them when its list changes", async () => {
    const { host, registry, wrapped } = setup();
    const node = new NodeInfo("n2", false);
    registry.nodes.set("n2", node);
    host.nodeServicesChanged(node, [service("users", [{ raw: "get" }, { raw: "list" }], ["user.created"])]);
    expect(wrapped.map((e) => e.action.name)).toEqual(["users.get", "users.list"]);
    const endpoint = registry.actions.get("users.get")?.getByNode("n2");
    expect(endpoint?.local).toBe(false);
    await expect(endpoint?.handler(ctx)).resolves.toBe("wrapped sent");
    expect(registry.events.match("user.created")[0]?.endpoints.map((e) => e.id)).toEqual(["n2"]);
    await expect(registry.events.match("user.created")[0]?.endpoints[0].handler(ctx)).rejects.toThrow(/through transit/);

    host.nodeServicesChanged(node, [service("users", [{ raw: "get" }])]);
    expect(registry.actions.get("users.list")?.getByNode("n2")).toBeUndefined();
    expect(registry.events.match("user.created").every((l) => l.size === 0)).toBe(true);
    expect(registry.getServices({ nodeID: "n2" }).map((s) => s.fullName)).toEqual(["users"]);

    host.nodeLeft(node);
    expect(registry.actions.get("users.get")?.getByNode("n2")).toBeUndefined();
    expect(registry.getServices({ nodeID: "n2" })).toEqual([]);
    expect(registry.nodes.get("n2")).toBe(node); // the record stays: transit keeps it, offline
  });

  it("shares the registry's node records and reads stopping, metadata and local services live", () => {
    const { host, registry, options, addLocal, setStopping } = setup();
    expect(host.nodes).toBe(registry.nodes);
    expect(host.localNode).toBe(registry.localNode);
    expect([host.nodeID, host.instanceID, host.namespace, host.disableBalancer]).toEqual(["local", "i1", "ns", true]);
    expect(host.stopping).toBe(false);
    setStopping(true);
    expect(host.stopping).toBe(true);
    options.metadata = { zone: "b" };
    expect(host.metadata).toEqual({ zone: "b" });
    addLocal(service("math", [{ raw: "add" }]));
    host.nodeServicesChanged(new NodeInfo("n2", false), [service("users", [{ raw: "get" }])]);
    expect(host.localServices().map((s) => s.fullName)).toEqual(["math"]);
  });
});
