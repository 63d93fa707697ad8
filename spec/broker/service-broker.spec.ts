import { IsNumber, IsString } from "class-validator";
import { injectable } from "tsyringe";
import {
  Action,
  BrokerOptionsError,
  Context,
  MaxCallLevelError,
  Service,
  ServiceBroker,
  ServiceNotFoundError,
  ServiceSchemaError,
  ValidationError,
} from "nucleon";

class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Service({ name: "math", version: 2 })
class MathService {
  @Action()
  add(params: AddParams): number {
    return params.a + params.b;
  }

  @Action({ visibility: "protected" })
  secret(): string {
    return "local only";
  }

  @Action({ visibility: "private" })
  hidden(): string {
    return "mine";
  }

  @Action()
  useHidden(): string {
    return this.hidden();
  }

  @Action()
  async recurse(params: { depth: number }, ctx: Context): Promise<number> {
    if (params.depth === 0) return ctx.level;
    return ctx.call<number>("v2.math.recurse", { depth: params.depth - 1 });
  }

  @Action()
  fail(): never {
    throw new Error("boom");
  }
}

@Service()
class EchoService {
  @Action()
  meta(_params: unknown, ctx: Context): Record<string, unknown> {
    return { ...ctx.meta };
  }

  @Action()
  async nested(_params: unknown, ctx: Context): Promise<unknown> {
    ctx.meta.fromParent = true;
    return ctx.call("echo.info");
  }

  @Action()
  info(_params: unknown, ctx: Context): Record<string, unknown> {
    return {
      level: ctx.level,
      parentID: ctx.parentID,
      requestID: ctx.requestID,
      caller: ctx.caller,
      meta: ctx.meta,
      action: ctx.action?.name,
      service: ctx.service?.fullName,
    };
  }
}

function makeBroker(extra: ConstructorParameters<typeof ServiceBroker>[0] = {}): ServiceBroker {
  return new ServiceBroker({ nodeID: "n1", logger: false, ...extra });
}

describe("ServiceBroker calls", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = makeBroker({ maxCallLevel: 5 });
    broker.register(MathService, EchoService);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("calls a versioned action with validated params", async () => {
    await expect(broker.call("v2.math.add", { a: 1, b: 2 })).resolves.toBe(3);
  });

  it("calls with the typed overload", async () => {
    const sum: number = await broker.call(MathService, "add", { a: 2, b: 5 });
    expect(sum).toBe(7);
  });

  it("rejects invalid params with a ValidationError naming the field", async () => {
    const err = await broker.call("v2.math.add", { a: "x", b: 2 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).code).toBe(422);
    expect((err as ValidationError).data).toEqual([expect.objectContaining({ field: "a", type: "isNumber", actual: "x" })]);
  });

  it("rejects an unknown action with ServiceNotFoundError", async () => {
    const err = await broker.call("v2.math.nope").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ServiceNotFoundError);
    expect((err as ServiceNotFoundError).code).toBe(404);
    expect((err as ServiceNotFoundError).data).toEqual({ action: "v2.math.nope", nodeID: undefined });
    await expect(broker.call("v2.math.add", { a: 1, b: 1 }, { nodeID: "other" })).rejects.toBeInstanceOf(ServiceNotFoundError);
  });

  it("rejects a typed call of a method that is not an action", async () => {
    const untypedCall = broker.call.bind(broker) as (service: unknown, method: string) => Promise<unknown>;
    await expect(untypedCall(MathService, "useHiddenTypo")).rejects.toBeInstanceOf(BrokerOptionsError);
  });

  it("lets local callers call protected actions, and nobody call private ones by name", async () => {
    await expect(broker.call("v2.math.secret")).resolves.toBe("local only");
    await expect(broker.call("v2.math.hidden")).rejects.toBeInstanceOf(ServiceNotFoundError);
    await expect(broker.call("v2.math.useHidden")).resolves.toBe("mine");
  });

  it("surfaces a handler's error as a rejection", async () => {
    await expect(broker.call("v2.math.fail")).rejects.toThrow("boom");
  });

  it("stops at maxCallLevel with MaxCallLevelError", async () => {
    await expect(broker.call("v2.math.recurse", { depth: 3 })).resolves.toBe(4);
    await expect(broker.call("v2.math.recurse", { depth: 10 })).rejects.toBeInstanceOf(MaxCallLevelError);
  });

  it("propagates meta, requestID, level and caller to nested calls", async () => {
    const info = (await broker.call("echo.nested", {}, { meta: { user: "ada" }, requestID: "req-1" })) as Record<string, unknown>;
    expect(info).toMatchObject({
      level: 2,
      requestID: "req-1",
      caller: "echo",
      meta: { user: "ada", fromParent: true },
      action: "echo.info",
      service: "echo",
    });
    expect(typeof info.parentID).toBe("string");
  });

  it("copies call meta, so the caller's object is not mutated", async () => {
    const meta = { a: 1 };
    await broker.call("echo.nested", {}, { meta });
    expect(meta).toEqual({ a: 1 });
  });

  it("runs mcall with an array or an object, and settled", async () => {
    await expect(
      broker.mcall([
        { action: "v2.math.add", params: { a: 1, b: 1 } },
        { action: "v2.math.add", params: { a: 2, b: 2 } },
      ]),
    ).resolves.toEqual([2, 4]);
    await expect(
      broker.mcall({ x: { action: "v2.math.add", params: { a: 1, b: 1 } }, y: { action: "v2.math.secret" } }),
    ).resolves.toEqual({ x: 2, y: "local only" });
    const settled = (await broker.mcall([{ action: "v2.math.add", params: { a: 1, b: 1 } }, { action: "nope.nope" }], {
      settled: true,
    })) as PromiseSettledResult<unknown>[];
    expect(settled[0]).toEqual({ status: "fulfilled", value: 2 });
    expect(settled[1].status).toBe("rejected");
  });
});

describe("ServiceBroker lifecycle and container", () => {
  it("runs created/started/stopped hooks in order and resolves dependencies", async () => {
    const log: string[] = [];

    @Service({ name: "db" })
    class DbService {
      created() {
        log.push("db.created");
      }
      async started() {
        await new Promise((r) => setTimeout(r, 20));
        log.push("db.started");
      }
      stopped() {
        log.push("db.stopped");
      }
      @Action() ping() {
        return "pong";
      }
    }

    @Service({ name: "api", dependencies: ["db"] })
    class ApiService {
      started() {
        log.push("api.started");
      }
    }

    const broker = makeBroker();
    broker.register(ApiService, DbService);
    await broker.start();
    expect(log.indexOf("db.started")).toBeLessThan(log.indexOf("api.started"));
    await broker.stop();
    expect(log).toContain("db.stopped");
    expect(log[0]).toBe("db.created");
  });

  it("injects constructor dependencies and the broker itself into controllers", async () => {
    @injectable()
    class Repo {
      value = 41;
    }
    @Service({ name: "repoUser" })
    class RepoUser {
      constructor(private readonly repo: Repo) {}
      @Action() get() {
        return this.repo.value + 1;
      }
    }
    @injectable()
    class Controller {
      constructor(readonly broker: ServiceBroker, readonly service: RepoUser) {}
    }
    const broker = makeBroker();
    broker.register(RepoUser);
    await broker.start();
    const controller = broker.container.resolve(Controller);
    expect(controller.broker).toBe(broker);
    await expect(controller.broker.call("repoUser.get")).resolves.toBe(42);
    // The controller gets the very instance the broker runs.
    expect(controller.service).toBe(broker.container.resolve(RepoUser));
    await broker.stop();
  });

  it("starts a service registered on a running broker", async () => {
    @Service({ name: "late" })
    class Late {
      @Action() hi() {
        return "hi";
      }
    }
    const broker = makeBroker();
    await broker.start();
    broker.register(Late);
    await broker.waitForServices("late", 1000);
    await expect(broker.call("late.hi")).resolves.toBe("hi");
    await broker.stop();
  });

  it("fails waitForServices after its timeout naming the missing service", async () => {
    const broker = makeBroker();
    await broker.start();
    await expect(broker.waitForServices(["ghost"], 150, 20)).rejects.toThrow(/ghost/);
    await broker.stop();
  });

  it("rejects a duplicate service and a handler-less action with ServiceSchemaError", () => {
    @Service({ name: "dup" })
    class Dup {}
    const broker = makeBroker();
    broker.register(Dup);
    expect(() => broker.register(Dup)).toThrow(ServiceSchemaError);
  });

  it("rejects invalid options with BrokerOptionsError", () => {
    expect(() => new ServiceBroker({ nodeID: "has space", logger: false })).toThrow(BrokerOptionsError);
    expect(() => new ServiceBroker({ requestTimeout: -1, logger: false })).toThrow(BrokerOptionsError);
    expect(() => new ServiceBroker({ registry: { strategy: "Nope" }, logger: false })).toThrow(/Unknown strategy/);
  });

  it("emits $broker.started and $services.changed locally", async () => {
    const seen: string[] = [];
    @Service({ name: "watcher" })
    class Watcher {
      @Action() noop() {}
    }
    const broker = makeBroker();
    broker.register(Watcher);
    broker.registerDescriptor(
      {
        name: "spy",
        fullName: "spy",
        settings: {},
        metadata: {},
        dependencies: [],
        actions: [],
        events: [
          { name: "$broker.*", group: "spy", method: "on", options: {} },
          { name: "$services.changed", group: "spy2", method: "on", options: {} },
        ],
      },
      { on: (_p: unknown, ctx: Context) => seen.push(ctx.eventName as string) },
    );
    await broker.start();
    await broker.stop();
    expect(seen).toEqual(expect.arrayContaining(["$broker.started", "$services.changed"]));
  });

  it("accepts a custom validator or none", async () => {
    @Service({ name: "v" })
    class V {
      @Action() echo(p: AddParams) {
        return p;
      }
    }
    const off = makeBroker({ validator: false });
    off.register(V);
    await off.start();
    await expect(off.call("v.echo", { a: "x" })).resolves.toEqual({ a: "x" });
    await off.stop();

    const compile = jest.fn(() => (value: unknown) => ({ checked: value }));
    const custom = makeBroker({ validator: { compile } });
    custom.register(V);
    await custom.start();
    await expect(custom.call("v.echo", { a: 1 })).resolves.toEqual({ checked: { a: 1 } });
    expect(compile).toHaveBeenCalledWith(AddParams);
    await custom.stop();
  });

  it("validates a string-typed DTO field", async () => {
    class NameDto {
      @IsString() name!: string;
    }
    @Service({ name: "named" })
    class Named {
      @Action() hi(p: NameDto) {
        return p instanceof NameDto;
      }
    }
    const broker = makeBroker();
    broker.register(Named);
    await broker.start();
    await expect(broker.call("named.hi", { name: "x" })).resolves.toBe(true);
    await expect(broker.call("named.hi", { name: 1 })).rejects.toBeInstanceOf(ValidationError);
    await broker.stop();
  });
});
