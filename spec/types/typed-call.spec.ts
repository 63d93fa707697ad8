import { Action, Context, Service, ServiceBroker } from "nucleon";

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

  notAnAction = 42;
}

describe("typed broker.call", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, validator: false });
    broker.register(TypedService);
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

  it("still accepts plain string names", async () => {
    await expect(broker.call<number>("typed.add", { a: 2, b: 2 })).resolves.toBe(4);
  });
});
