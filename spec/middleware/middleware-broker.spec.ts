import pino from "pino";
import { Action, Context, Middleware, MiddlewareBroker, Service, ServiceBroker, ServiceNotAvailableError } from "nucleon";
import { ContextTracker } from "../../lib/middleware/context-tracker";
import { fallbackMiddleware } from "../../lib/middleware/fallback";
import { HandlerChains } from "../../lib/middleware/handler-chains";
import { ActionEndpoint } from "../../lib/registry/endpoint";
import { NodeInfo } from "../../lib/registry/node";

@Service({ name: "greeter" })
class Greeter {
  @Action({ params: false })
  hello(): string {
    return "hello";
  }
}

/** Typed against the port only: what a user's middleware package would write. */
function auditMiddleware(broker: MiddlewareBroker, seen: string[]): Middleware {
  return {
    name: "Audit",
    localAction: (next, endpoint) => (ctx) => {
      seen.push(`${broker.nodeID}/${broker.options.namespace}: ${endpoint.action.name}`);
      return next(ctx);
    },
    async started(b) {
      broker.logger.debug("audit started");
      seen.push(`instance: ${b.getLocalService("greeter") instanceof Greeter}`);
      seen.push(`call: ${await b.call<string>("greeter.hello")}`);
    },
  };
}

describe("MiddlewareBroker", () => {
  it("is what a real ServiceBroker hands to a middleware typed against it", async () => {
    const seen: string[] = [];
    const broker = new ServiceBroker({ nodeID: "mb", namespace: "ns", logger: false, middlewares: [(b) => auditMiddleware(b, seen)] });
    const asPort: MiddlewareBroker = broker;
    expect(asPort.started).toBe(false);
    broker.register(Greeter);
    await broker.start();
    try {
      expect(asPort.started).toBe(true);
      await broker.call("greeter.hello");
      expect(seen).toEqual(["instance: true", "mb/ns: greeter.hello", "call: hello", "mb/ns: greeter.hello"]);
    } finally {
      await broker.stop();
    }
  });

  describe("built-ins run against a fake broker", () => {
    const fake = (over: Partial<MiddlewareBroker> = {}): MiddlewareBroker => ({
      nodeID: "fake",
      namespace: "",
      instanceID: "i-1",
      logger: pino({ level: "silent" }),
      options: { nodeID: "fake", namespace: "", requestTimeout: 0, maxCallLevel: 0, metadata: {} },
      started: true,
      stopping: false,
      generateUid: () => "uid",
      actionName: () => {
        throw new Error("no classes here");
      },
      call: () => Promise.reject(new Error("no calls here")),
      mcall: () => Promise.reject(new Error("no calls here")),
      emit: () => Promise.resolve(),
      broadcast: () => Promise.resolve(),
      broadcastLocal: () => Promise.resolve(),
      getLocalService: () => undefined,
      ...over,
    });
    const endpoint = (fallback?: string) =>
      new ActionEndpoint(
        new NodeInfo("fake", true),
        { name: "svc", fullName: "svc", settings: {}, metadata: {}, node: new NodeInfo("fake", true), local: true },
        { name: "svc.act", rawName: "act", method: "act", visibility: "published", options: {}, fallback },
        () => Promise.reject(new Error("unset")),
      );
    const failing = { fn: () => Promise.reject(new Error("down")), instance: {} };
    const root = (params: unknown = {}) => ({ params, level: 1, options: {} }) as unknown as Context;

    it("ContextTracker refuses root calls while the port says it is stopping", async () => {
      const broker = { ...fake(), stopping: false };
      const tracker = new ContextTracker(broker, undefined);
      const chains = new HandlerChains({ list: [tracker.middleware()] });
      const handler = chains.localAction({ fn: () => "ok", instance: {} }, endpoint(), null);
      await expect(handler(root())).resolves.toBe("ok");
      broker.stopping = true;
      await expect(handler(root())).rejects.toBeInstanceOf(ServiceNotAvailableError);
    });

    it("Fallback finds the action's fallback method through getLocalService", async () => {
      const instance = { recover: (p: { q: number }, _ctx: Context, err: Error) => `recovered ${p.q} from ${err.message}` };
      const lookups: string[] = [];
      const broker = fake({ getLocalService: (name) => (lookups.push(name), instance) });
      const chains = new HandlerChains({ list: [fallbackMiddleware(broker)] });
      const handler = chains.localAction(failing, endpoint("recover"), null);
      await expect(handler(root({ q: 7 }))).resolves.toBe("recovered 7 from down");
      expect(lookups).toEqual(["svc"]);
    });
  });
});
