import { Action, Event, Middleware, Service, ServiceBroker } from "nucleon";

@Service({ name: "m" })
class M {
  @Action() hello(p: { name: string }) {
    return `hi ${p.name}`;
  }
  @Event("tick") onTick() {}
}

describe("middlewares", () => {
  it("compose localAction once per endpoint, not per call; first added is innermost", async () => {
    const order: string[] = [];
    let wraps = 0;
    const outer: Middleware = {
      name: "outer",
      localAction(next, endpoint) {
        if (endpoint.action.name === "m.hello") wraps++;
        return (ctx) => {
          order.push("outer");
          return next(ctx);
        };
      },
    };
    const inner: Middleware = {
      name: "inner",
      localAction(next) {
        return (ctx) => {
          order.push("inner");
          return next(ctx).then((r) => `${String(r)}!`);
        };
      },
    };
    const broker = new ServiceBroker({ logger: false, middlewares: [inner, outer] });
    broker.register(M);
    await broker.start();
    for (let i = 0; i < 3; i++) await expect(broker.call("m.hello", { name: "x" })).resolves.toBe("hi x!");
    expect(wraps).toBe(1);
    expect(order.slice(0, 2)).toEqual(["outer", "inner"]);
    await broker.stop();
  });

  it("wrap call, emit, broadcast and local events, and run lifecycle hooks in order", async () => {
    const log: string[] = [];
    const mw = (broker: ServiceBroker): Middleware => ({
      name: "spy",
      created: (b) => log.push(`created:${b === broker}`),
      call: (next) => (action, params, opts) => {
        log.push(`call:${action}`);
        return next(action, params, opts);
      },
      emit: (next) => (event, payload, opts) => {
        log.push(`emit:${event}`);
        return next(event, payload, opts);
      },
      broadcast: (next) => (event, payload, opts) => {
        log.push(`broadcast:${event}`);
        return next(event, payload, opts);
      },
      localEvent: (next, endpoint) => (ctx) => {
        log.push(`event:${endpoint.event.name}`);
        return next(ctx);
      },
      serviceCreated: (s) => void log.push(`serviceCreated:${s.name}`),
      serviceStarting: (s) => void log.push(`serviceStarting:${s.name}`),
      serviceStarted: (s) => void log.push(`serviceStarted:${s.name}`),
      serviceStopping: (s) => void log.push(`serviceStopping:${s.name}`),
      serviceStopped: (s) => void log.push(`serviceStopped:${s.name}`),
      starting: () => void log.push("starting"),
      started: () => void log.push("started"),
      stopping: () => void log.push("stopping"),
      stopped: () => void log.push("stopped"),
    });
    const broker = new ServiceBroker({ logger: false });
    broker.use(mw);
    broker.register(M);
    await broker.start();
    await broker.call("m.hello", { name: "y" });
    await broker.emit("tick");
    await broker.broadcast("tick");
    await broker.stop();
    // The internal $node service goes through the same hooks; this test follows "m".
    expect(log.filter((l) => !l.includes("$node"))).toEqual([
      "created:true",
      "serviceCreated:m",
      "starting",
      "serviceStarting:m",
      "serviceStarted:m",
      "started",
      "call:m.hello",
      "emit:tick",
      "event:tick",
      "broadcast:tick",
      "event:tick",
      "stopping",
      "serviceStopping:m",
      "serviceStopped:m",
      "stopped",
    ]);
    expect(() => broker.use({})).toThrow(/before start/);
  });
});
