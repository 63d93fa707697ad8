import { IsInt } from "class-validator";
import { Action, Cached, Context, Middleware, Service, ServiceBroker, ValidationError } from "nucleon";
import { BUILTIN_ORDER } from "../../lib/middleware/builtins";
import { InFlightCounter } from "../../lib/middleware/context-tracker";
import { HandlerChains } from "../../lib/middleware/handler-chains";
import { ActionEndpoint, EventEndpoint, ServiceItem } from "../../lib/registry/endpoint";
import { NodeInfo } from "../../lib/registry/node";
import { memoryCluster } from "../transit/cluster";

/** The built-in order as documented in lib/middleware/builtins.ts, innermost first. */
const DOCUMENTED = ["Validator", "Bulkhead", "Cacher", "ContextTracker", "Timeout", "CircuitBreaker", "Retry", "Fallback"];

/** A middleware that logs `<name>:<hook>` each time one of its wrapped functions runs. */
function spy(name: string, log: string[]): Middleware {
  return {
    name,
    localAction: (next) => (ctx) => (log.push(`${name}:localAction`), next(ctx)),
    remoteAction: (next) => (ctx) => (log.push(`${name}:remoteAction`), next(ctx)),
    localEvent: (next) => (ctx) => (log.push(`${name}:localEvent`), next(ctx)),
    call: (next) => (a, p, o) => (log.push(`${name}:call`), next(a, p, o)),
    emit: (next) => (e, p, o) => (log.push(`${name}:emit`), next(e, p, o)),
    broadcast: (next) => (e, p, o) => (log.push(`${name}:broadcast`), next(e, p, o)),
    broadcastLocal: (next) => (e, p, o) => (log.push(`${name}:broadcastLocal`), next(e, p, o)),
  };
}

function endpoints(): { action: ActionEndpoint; event: EventEndpoint } {
  const node = new NodeInfo("n1", true);
  const item: ServiceItem = { name: "s", fullName: "s", settings: {}, metadata: {}, node, local: true };
  const unset = () => Promise.reject(new Error("unset"));
  return {
    action: new ActionEndpoint(node, item, { name: "s.a", rawName: "a", method: "a", visibility: "published", options: {} }, unset),
    event: new EventEndpoint(node, item, { name: "ev", group: "s", method: "onEv", options: {} }, unset),
  };
}

const ctxOf = (params: unknown) => ({ params }) as Context;

describe("HandlerChains", () => {
  it("gives each chain its own hooks only, first middleware innermost", async () => {
    const log: string[] = [];
    const chains = new HandlerChains({ list: [spy("inner", log), spy("outer", log)] });
    const { action, event } = endpoints();
    const instance = { a: (p: { x: number }) => p.x * 2, onEv: () => "dropped" };

    await expect(chains.localAction({ fn: instance.a as never, instance }, action, null)(ctxOf({ x: 2 }))).resolves.toBe(4);
    expect(log.splice(0)).toEqual(["outer:localAction", "inner:localAction"]);

    await expect(chains.localEvent({ fn: instance.onEv, instance }, event, null)(ctxOf({}))).resolves.toBeUndefined();
    expect(log.splice(0)).toEqual(["outer:localEvent", "inner:localEvent"]);

    const send = jest.fn(() => Promise.resolve("from afar"));
    await expect(chains.remoteAction(send, action)(ctxOf({}))).resolves.toBe("from afar");
    expect(log.splice(0)).toEqual(["outer:remoteAction", "inner:remoteAction"]);
    expect(send).toHaveBeenCalledTimes(1);

    const hit: string[] = [];
    const verbs = chains.verbs({
      call: (a) => (hit.push(`call ${a}`), Promise.resolve(a)),
      emit: (e) => (hit.push(`emit ${e}`), Promise.resolve()),
      broadcast: (e) => (hit.push(`broadcast ${e}`), Promise.resolve()),
      broadcastLocal: (e) => (hit.push(`broadcastLocal ${e}`), Promise.resolve()),
    });
    await verbs.call("x.y", {}, undefined);
    await verbs.emit("e1", {}, undefined);
    await verbs.broadcast("e2", {}, undefined);
    await verbs.broadcastLocal("e3", {}, undefined);
    expect(log).toEqual([
      "outer:call",
      "inner:call",
      "outer:emit",
      "inner:emit",
      "outer:broadcast",
      "inner:broadcast",
      "outer:broadcastLocal",
      "inner:broadcastLocal",
    ]);
    expect(hit).toEqual(["call x.y", "emit e1", "broadcast e2", "broadcastLocal e3"]);
  });

  it("reads the hook list when a chain is built, not per call", async () => {
    const log: string[] = [];
    const list: Middleware[] = [];
    const chains = new HandlerChains({ list });
    const { action } = endpoints();
    const instance = { a: () => "ok" };
    const before = chains.localAction({ fn: instance.a, instance }, action, null);
    list.push(spy("late", log));
    await before(ctxOf({}));
    expect(log).toEqual([]);
    await chains.localAction({ fn: instance.a, instance }, action, null)(ctxOf({}));
    expect(log).toEqual(["late:localAction"]);
  });

  it("innermost link: a promise always, non-Errors become Errors, in flight only while pending", async () => {
    const chains = new HandlerChains({ list: [] });
    const { action } = endpoints();
    const counter = new InFlightCounter();
    let release!: (v: string) => void;
    const instance = {
      sync: () => "now",
      throwsString: () => {
        throw "plain string";
      },
      slow: () => new Promise<string>((r) => (release = r)),
    };
    await expect(chains.localAction({ fn: instance.sync, instance }, action, counter)(ctxOf({}))).resolves.toBe("now");
    expect(counter.inFlight).toBe(0);
    await expect(chains.localAction({ fn: instance.throwsString, instance }, action, counter)(ctxOf({}))).rejects.toBeInstanceOf(Error);
    const pending = chains.localAction({ fn: instance.slow, instance }, action, counter)(ctxOf({}));
    expect(counter.inFlight).toBe(1);
    release("later");
    await expect(pending).resolves.toBe("later");
    expect(counter.inFlight).toBe(0);
  });
});

class GreetParams {
  @IsInt() n!: number;
}

@Service({ name: "order" })
class OrderService {
  @Action()
  greet(p: GreetParams): string {
    return `hi ${p.n}`;
  }

  @Action({ params: false })
  @Cached({ keys: ["k"] })
  cached(p: { k: number }): number {
    return p.k;
  }
}

describe("built-in middlewares", () => {
  it("come in the documented order, after the user's and before use()'s", () => {
    expect(BUILTIN_ORDER).toEqual(DOCUMENTED);
    const broker = new ServiceBroker({ logger: false, cacher: "Memory", middlewares: [{ name: "mine" }] });
    broker.use({ name: "late" });
    expect(broker.middlewares.names()).toEqual(["mine", ...DOCUMENTED, "late"]);
  });

  it("leave out the features that are not configured", () => {
    const broker = new ServiceBroker({ logger: false, validator: false });
    expect(broker.middlewares.names()).toEqual(DOCUMENTED.filter((n) => n !== "Validator" && n !== "Cacher"));
  });

  it("wrap a user middleware from the options inside them, and one added with use() outside them", async () => {
    const seen = { inner: [] as string[], outer: [] as string[] };
    const counting = (into: string[]): Middleware => ({
      localAction: (next, endpoint) => (ctx) => (into.push(endpoint.action.name), next(ctx)),
    });
    const broker = new ServiceBroker({
      logger: false,
      cacher: "Memory",
      middlewares: [counting(seen.inner)],
    });
    broker.use(counting(seen.outer));
    broker.register(OrderService);
    await broker.start();
    try {
      // The cacher is outside the user's middleware: a cache hit never reaches it, but use()'s sees both calls.
      await expect(broker.call("order.cached", { k: 1 })).resolves.toBe(1);
      await expect(broker.call("order.cached", { k: 1 })).resolves.toBe(1);
      expect(seen.inner.filter((n) => n === "order.cached")).toHaveLength(1);
      expect(seen.outer.filter((n) => n === "order.cached")).toHaveLength(2);
      // Validation is outside the user's middleware too: bad params never reach it.
      await expect(broker.call("order.greet", { n: "x" })).rejects.toBeInstanceOf(ValidationError);
      expect(seen.inner).not.toContain("order.greet");
      expect(seen.outer).toContain("order.greet");
    } finally {
      await broker.stop();
    }
  });

  it("give remote endpoints the remoteAction hooks and local ones the localAction hooks", async () => {
    const log: string[] = [];
    const { brokers, stop } = await memoryCluster([
      { nodeID: "caller", options: { middlewares: [spy("mw", log)] } },
      { nodeID: "server", services: [OrderService] },
    ]);
    try {
      await brokers[0].waitForServices("order", 2000);
      log.length = 0;
      await expect(brokers[0].call("order.greet", { n: 1 })).resolves.toBe("hi 1");
      expect(log).toEqual(["mw:call", "mw:remoteAction"]);
    } finally {
      await stop();
    }
  });
});
