import { IsString } from "class-validator";
import pino from "pino";
import { Action, After, Before, Context, OnError, Service, ServiceBroker, ServiceSchemaError, describe as describeService } from "nucleon";
import { ServiceRuntime } from "../../lib/service/service-runtime";

const log: string[] = [];

/** Logs its name, and fails when the call asked it to (`failAt`). */
function step(name: string, ctx: Context): void {
  log.push(name);
  if ((ctx.params as { failAt?: string } | undefined)?.failAt === name) throw new Error(`failed at ${name}`);
}

@Service()
class AuditMixin {
  @Before("*") mixinAllBefore(ctx: Context): void {
    step("mixin * before", ctx);
  }
  @Before("create") mixinCreateBefore(ctx: Context): void {
    step("mixin create before", ctx);
  }
  @After("*") mixinAllAfter(ctx: Context, result: string): string {
    step("mixin * after", ctx);
    return `${result}+mixin*`;
  }
  @After("create") mixinCreateAfter(ctx: Context, result: string): string {
    step("mixin create after", ctx);
    return `${result}+mixinCreate`;
  }
  @OnError("*") mixinAllError(_ctx: Context, err: Error): never {
    log.push("mixin * error");
    throw err;
  }
  @OnError("create") mixinCreateError(_ctx: Context, err: Error): never {
    log.push("mixin create error");
    throw err;
  }

  @Action({ params: false })
  fromMixin(): string {
    log.push("mixin handler");
    return "m";
  }
}

@Service({ name: "orders", mixins: [AuditMixin] })
class OrderService {
  @Action({ params: false })
  create(_params: unknown, ctx: Context): string {
    step("handler", ctx);
    return "created";
  }

  @Action({ params: false })
  other(): string {
    log.push("other handler");
    return "other";
  }

  @After("create") ownCreateAfter(ctx: Context, result: string): string {
    step("own create after", ctx);
    return `${result}+ownCreate`;
  }
  @Before("create") ownCreateBefore(ctx: Context): void {
    step("own create before", ctx);
  }
  @Before("*") ownAllBefore(ctx: Context): void {
    step("own * before", ctx);
  }
  @After("*") ownAllAfter(ctx: Context, result: string): string {
    step("own * after", ctx);
    return `${result}+own*`;
  }
  @OnError("*") ownAllError(_ctx: Context, err: Error): never {
    log.push("own * error");
    throw err;
  }
  @OnError("create") ownCreateError(_ctx: Context, err: Error): never {
    log.push("own create error");
    throw err;
  }
}

describe("action hooks", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, validator: false });
    broker.register(OrderService);
    await broker.start();
  });
  afterAll(() => broker.stop());
  beforeEach(() => {
    log.length = 0;
  });

  it("run before hooks service-wide first, mixins before the class; after hooks the reverse", async () => {
    const result = await broker.call("orders.create", {});
    expect(log).toEqual([
      "mixin * before",
      "own * before",
      "mixin create before",
      "own create before",
      "handler",
      "own create after",
      "mixin create after",
      "own * after",
      "mixin * after",
    ]);
    // Each after hook got the previous one's result.
    expect(result).toBe("created+ownCreate+mixinCreate+own*+mixin*");
  });

  it("run error hooks in the after order, each receiving the error the previous one threw", async () => {
    await expect(broker.call("orders.create", { failAt: "handler" })).rejects.toThrow("failed at handler");
    expect(log.slice(log.indexOf("handler"))).toEqual(["handler", "own create error", "mixin create error", "own * error", "mixin * error"]);
  });

  it("stop at a before hook that throws: no handler, no after hooks, the error hooks see it", async () => {
    await expect(broker.call("orders.create", { failAt: "own * before" })).rejects.toThrow("failed at own * before");
    expect(log).toEqual(["mixin * before", "own * before", "own create error", "mixin create error", "own * error", "mixin * error"]);
  });

  it("send an after hook's error to the error hooks", async () => {
    await expect(broker.call("orders.create", { failAt: "mixin create after" })).rejects.toThrow("failed at mixin create after");
    expect(log.slice(log.indexOf("mixin create after"))).toEqual(["mixin create after", "own create error", "mixin create error", "own * error", "mixin * error"]);
  });

  it('apply "*" hooks to every action, mixins\' actions included, and named hooks only to theirs', async () => {
    await expect(broker.call("orders.other")).resolves.toBe("other+own*+mixin*");
    expect(log).toEqual(["mixin * before", "own * before", "other handler", "own * after", "mixin * after"]);
    log.length = 0;
    await expect(broker.call("orders.fromMixin")).resolves.toBe("m+own*+mixin*");
    expect(log).toEqual(["mixin * before", "own * before", "mixin handler", "own * after", "mixin * after"]);
  });
});

describe("action hook targets and effects", () => {
  class NameParams {
    @IsString() name!: string;
  }
  const seen: string[] = [];
  const instances: object[] = [];

  @Service({ name: "users" })
  class UserService {
    prefix = "user:";
    constructor() {
      instances.push(this);
    }

    @Action() create(params: NameParams): string {
      return this.prefix + params.name;
    }
    @Action({ params: false }) update(params: { name: string }): string {
      return params.name;
    }
    @Action({ params: false }) getOne(): string {
      return "one";
    }
    @Action({ params: false }) remove(params: { fail: unknown }): string {
      throw params.fail;
    }

    @Before(["create", "update"]) normalize(ctx: Context<{ name: string }>): void {
      seen.push(`normalize ${ctx.action?.rawName ?? "?"}`);
      expect(this).toBe(instances[instances.length - 1]);
      ctx.params = { name: ctx.params.name.trim().toLowerCase() };
    }
    @After("get*") wrap(_ctx: Context, result: string): { value: string } {
      return { value: result };
    }
    @OnError("remove") first(_ctx: Context, err: Error): string {
      seen.push(`first ${err instanceof Error} ${err.message}`);
      if (err.message === "recover") return "recovered";
      throw new Error("replaced");
    }
    @OnError("remove") second(_ctx: Context, err: Error): string {
      seen.push(`second ${err.message}`);
      throw err;
    }
  }

  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false });
    broker.register(UserService);
    await broker.start();
  });
  afterAll(() => broker.stop());
  beforeEach(() => {
    seen.length = 0;
  });

  it("let a before hook replace ctx.params, after validation, with this = the instance", async () => {
    await expect(broker.call("users.create", { name: "  Ada " })).resolves.toBe("user:ada");
    await expect(broker.call("users.update", { name: " Bob" })).resolves.toBe("bob");
    expect(seen).toEqual(["normalize create", "normalize update"]);
    // Validation is outside the hooks: invalid params never reach them.
    await expect(broker.call("users.create", { name: 42 })).rejects.toMatchObject({ name: "ValidationError" });
    expect(seen).toEqual(["normalize create", "normalize update"]);
  });

  it("match wildcard targets and let an after hook change the result", async () => {
    await expect(broker.call("users.getOne")).resolves.toEqual({ value: "one" });
    expect(seen).toEqual([]);
  });

  it("recover in an error hook (later ones skipped) or pass on a new error", async () => {
    await expect(broker.call("users.remove", { fail: new Error("recover") })).resolves.toBe("recovered");
    expect(seen).toEqual(["first true recover"]);
    seen.length = 0;
    await expect(broker.call("users.remove", { fail: new Error("boom") })).rejects.toThrow("replaced");
    expect(seen).toEqual(["first true boom", "second replaced"]);
  });

  it("hand error hooks an Error even when the handler throws something else", async () => {
    await expect(broker.call("users.remove", { fail: "recover" })).resolves.toBe("recovered");
    expect(seen).toEqual(["first true recover"]);
  });
});

describe("hook compilation", () => {
  @Service({ name: "plain" })
  class Plain {
    @Action({ params: false }) hooked(): string {
      return "h";
    }
    @Action({ params: false }) bare(): string {
      return "b";
    }
    @After("hooked") mark(_ctx: Context, result: string): string {
      return `${result}!`;
    }
  }

  it("leaves an action without hooks with its bare method as handler", () => {
    const descriptor = describeService(Plain);
    const bare = descriptor.actions.find((a) => a.rawName === "bare")!;
    const hooked = descriptor.actions.find((a) => a.rawName === "hooked")!;
    expect(bare.hooks).toBeUndefined();
    expect(hooked.hooks).toEqual({ before: [], after: ["mark"], error: [] });
    const instance = new Plain();
    const runtime = new ServiceRuntime(descriptor, instance, pino({ enabled: false }));
    expect(runtime.actionHandler(bare)).toBe(Plain.prototype.bare);
    expect(runtime.actionHandler(hooked)).not.toBe(Plain.prototype.hooked);
  });

  it("resolves hook methods once, when the service starts, not per call", async () => {
    const broker = new ServiceBroker({ logger: false, validator: false });
    broker.register(Plain);
    await broker.start();
    const instance = broker.getLocalService(Plain)! as unknown as Record<string, unknown>;
    const method = jest.spyOn(ServiceRuntime.prototype, "method");
    instance.mark = () => "replaced after start";
    await expect(broker.call("plain.hooked")).resolves.toBe("h!");
    expect(method).not.toHaveBeenCalled();
    method.mockRestore();
    await broker.stop();
  });

  it("refuses a hook of the class naming an action it does not have; a mixin's is ignored", () => {
    @Service({ name: "typo" })
    class Typo {
      @Action({ params: false }) create(): void {}
      @Before("craete") check(_ctx: Context): void {}
    }
    expect(() => describeService(Typo)).toThrow(ServiceSchemaError);
    expect(() => describeService(Typo)).toThrow("Hook method 'check' of service 'typo' targets action 'craete', which the service does not have.");

    @Service()
    class GenericMixin {
      @Before("update|create") check(_ctx: Context): void {}
    }
    @Service({ name: "mixed", mixins: [GenericMixin] })
    class Mixed {
      @Action({ params: false }) create(): void {}
    }
    expect(describeService(Mixed).actions[0].hooks).toEqual({ before: ["check"], after: [], error: [] });
  });

  it("fails at register when a hook method is missing from a hand-made descriptor", () => {
    const descriptor = { ...describeService(Plain) };
    descriptor.actions = descriptor.actions.map((a) => ({ ...a, hooks: { before: ["nope"], after: [], error: [] } }));
    expect(() => new ServiceRuntime(descriptor, new Plain(), pino({ enabled: false }))).toThrow("Service 'plain' has no method 'nope'.");
  });
});
