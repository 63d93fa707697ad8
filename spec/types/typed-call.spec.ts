import { Action, BrokerOptionsError, Context, Event, Service, ServiceBroker } from "nucleon";

/**
 * Compile-time checks of the typed call: the `@ts-expect-error` lines fail
 * type-checking (`npm run typecheck`) if the types ever stop catching them.
 */
class AddParams {
  a!: number;
  b!: number;
}

@Service({ name: "typed" })
class TypedService {
  @Action()
  add(params: AddParams): number {
    return params.a + params.b;
  }

  @Action()
  async greet(params: { name: string }, _ctx: Context): Promise<string> {
    return `hi ${params.name}`;
  }

  @Action()
  ping(): string {
    return "pong";
  }

  @Event("user.created")
  onUserCreated(_user: { id: number }, _ctx: Context): void {}

  started(): void {}

  notAnAction = 42;
}

@Service({ name: "caller" })
class CallerService {
  @Action()
  async sum(params: AddParams, ctx: Context): Promise<number> {
    const sum: number = await ctx.call(TypedService, "add", params);
    // @ts-expect-error -- ctx.call is typed like broker.call: `a` must be a number
    await ctx.call(TypedService, "add", { a: "1", b: 2 }).catch(() => undefined);
    // @ts-expect-error -- the result is a number, not a string
    const wrong: string = await ctx.call(TypedService, "add", params);
    expect(typeof wrong).toBe("number");
    return sum;
  }
}

describe("typed broker.call", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, validator: false });
    broker.register(TypedService, CallerService);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("infers params and result types from the method", async () => {
    const sum: number = await broker.call(TypedService, "add", { a: 1, b: 2 });
    const greeting: string = await broker.call(TypedService, "greet", { name: "ada" }, { timeout: 100 });
    const pong: string = await broker.call(TypedService, "ping");
    expect([sum, greeting, pong]).toEqual([3, "hi ada", "pong"]);
  });

  it("rejects wrong shapes at compile time", async () => {
    // @ts-expect-error -- `a` must be a number
    await broker.call(TypedService, "add", { a: "1", b: 2 }).catch(() => undefined);
    // @ts-expect-error -- params are required
    await broker.call(TypedService, "add").catch(() => undefined);
    // @ts-expect-error -- not a method name
    await broker.call(TypedService, "missing").catch(() => undefined);
    // @ts-expect-error -- a property, not a handler
    await broker.call(TypedService, "notAnAction").catch(() => undefined);
    // @ts-expect-error -- the result is a string, not a number
    const wrong: number = await broker.call(TypedService, "greet", { name: "x" });
    expect(wrong).toBe("hi x");
  });

  it("ctx.call takes the same typed form, as a child call", async () => {
    await expect(broker.call(CallerService, "sum", { a: 2, b: 3 })).resolves.toBe(5);
  });

  it("refuses lifecycle hooks at compile time, and event handlers at run time", async () => {
    // @ts-expect-error -- a lifecycle hook, not an action
    await broker.call(TypedService, "started").catch(() => undefined);
    // Types cannot see decorators: an @Event handler has an action's shape, so the call fails at run time.
    const call = broker.call(TypedService, "onUserCreated", { id: 1 });
    await expect(call).rejects.toBeInstanceOf(BrokerOptionsError);
    await expect(call).rejects.toThrow("'onUserCreated' of 'typed' is an event handler (@Event(\"user.created\")), not an action");
  });

  it("getLocalService returns the typed instance by class, an object by name", () => {
    const byClass = broker.getLocalService(TypedService);
    const sum: number | undefined = byClass?.add({ a: 1, b: 1 });
    expect(sum).toBe(2);
    expect(byClass).toBeInstanceOf(TypedService);
    const byName: object | undefined = broker.getLocalService("typed");
    expect(byName).toBe(byClass);
    // @ts-expect-error -- by name the type is unknown: object
    expect(byName?.add).toBeDefined();
    expect(broker.getLocalService("nope")).toBeUndefined();
  });

  it("still accepts plain string names", async () => {
    await expect(broker.call<number>("typed.add", { a: 2, b: 2 })).resolves.toBe(4);
  });
});
