import { Action, After, Before, Context, OnError, Service, ServiceBroker } from "nucleon";

/**
 * Compile-time checks of the hook decorators: each `@ts-expect-error` line
 * fails type-checking (`npm run typecheck`) if the types stop catching it.
 */
class CreateParams {
  name!: string;
}

@Service({ name: "typedHooks" })
class TypedHooks {
  @Action({ params: false })
  create(params: CreateParams): string {
    if (params.name === "") throw new Error("empty name");
    return params.name;
  }

  @Before("create")
  trim(ctx: Context<CreateParams>): void {
    ctx.params.name = ctx.params.name.trim();
  }

  @Before("*")
  async audit(_ctx: Context): Promise<void> {}

  @After(["create"])
  upper(_ctx: Context<CreateParams>, result: string): string {
    return result.toUpperCase();
  }

  @After("*")
  async tag(_ctx: Context, result: unknown): Promise<unknown> {
    return result;
  }

  @OnError("create")
  recover(_ctx: Context, err: Error): string {
    return `recovered: ${err.message}`;
  }

  @OnError("*")
  rethrow(_ctx: Context, err: Error): never {
    throw err;
  }
}

/** The class is built only when a test calls this: its last decorator throws at runtime. */
function compileOnlyProbes(): unknown {
  @Service({ name: "wrongHooks" })
  class WrongHooks {
    @Action({ params: false })
    create(params: CreateParams): string {
      return params.name;
    }

    // @ts-expect-error -- a before hook takes (ctx), not the handler's (params, ctx)
    @Before("create")
    paramsFirst(_params: CreateParams, _ctx: Context): void {}

    // @ts-expect-error -- its first parameter is a context, not the params
    @Before("create")
    notAContext(_params: CreateParams): void {}

    // @ts-expect-error -- an after hook must return the result, or the caller gets undefined
    @After("create")
    forgetsToReturn(_ctx: Context, _result: string): void {}

    // @ts-expect-error -- the same for an async one
    @After("create")
    async forgetsToReturnAsync(_ctx: Context, _result: string): Promise<void> {}

    // @ts-expect-error -- an error hook receives an Error, not a string
    @OnError("create")
    wrongError(_ctx: Context, _err: string): string {
      return "";
    }

    // @ts-expect-error -- hooks go on methods
    @Before("create")
    notAMethod = 1;
  }
  return WrongHooks;
}

describe("hook decorator types", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, validator: false });
    broker.register(TypedHooks);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("runs the well-typed hooks", async () => {
    await expect(broker.call("typedHooks.create", { name: "  ada " })).resolves.toBe("ADA");
    await expect(broker.call("typedHooks.create", { name: " " })).resolves.toBe("recovered: empty name");
  });

  it("rejects a hook decorator on a field at runtime too", () => {
    expect(compileOnlyProbes).toThrow("@Before goes on a method; 'notAMethod' is not one.");
  });
});
