import { Action, Context, Event, NucleonClientError, Service, ServiceBroker, ServiceNotFoundError } from "nucleon";

const heard: Array<Record<string, unknown>> = [];

@Service({ name: "local" })
class LocalService {
  @Action({ params: false })
  echo(_p: unknown, ctx: Context): Record<string, unknown> {
    ctx.responseHeaders.echoed = true;
    ctx.headers.touched = true; // the caller's object must not change
    return { ...ctx.headers };
  }

  @Action({ params: false })
  fails(_p: unknown, ctx: Context): never {
    ctx.responseHeaders = { why: "teapot" };
    throw new NucleonClientError("bad", 418, "TEAPOT");
  }

  /** Headers are per call: the child sees only its own. */
  @Action({ params: false })
  async parent(_p: unknown, ctx: Context): Promise<unknown> {
    let childResponse: Record<string, unknown> = {};
    const child = await ctx.call("local.echo", {}, { onResponseHeaders: (h) => (childResponse = h) });
    return { child, childResponse, own: ctx.headers };
  }

  @Event("local.evt")
  one(_p: unknown, ctx: Context): void {
    heard.push({ handler: "one", ...ctx.headers });
  }

  @Event("local.evt", { group: "other" })
  two(_p: unknown, ctx: Context): void {
    heard.push({ handler: "two", ...ctx.headers });
  }
}

describe("headers on a local call (no transporter)", () => {
  const broker = new ServiceBroker({ nodeID: "local", logger: false });
  broker.register(LocalService);
  beforeAll(() => broker.start());
  afterAll(() => broker.stop());

  it("the handler reads the call's headers (a copy); the caller gets the response headers", async () => {
    const sent = { auth: "t" };
    let got: Record<string, unknown> | undefined;
    await expect(broker.call("local.echo", {}, { headers: sent, onResponseHeaders: (h) => (got = h) })).resolves.toEqual({ auth: "t", touched: true });
    expect(sent).toEqual({ auth: "t" });
    expect(got).toEqual({ echoed: true });
  });

  it("a failed call still hands over its response headers, and keeps its error", async () => {
    let got: Record<string, unknown> | undefined;
    const err = await broker.call("local.fails", {}, { onResponseHeaders: (h) => (got = h) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NucleonClientError);
    expect(got).toEqual({ why: "teapot" });
  });

  it("no handler answered: {} (and the call's error)", async () => {
    let got: Record<string, unknown> | undefined;
    await expect(broker.call("local.nope", {}, { onResponseHeaders: (h) => (got = h) })).rejects.toBeInstanceOf(ServiceNotFoundError);
    expect(got).toEqual({});
  });

  it("headers are not inherited by child calls; ctx.call gets its child's response headers", async () => {
    await expect(broker.call("local.parent", {}, { headers: { top: 1 } })).resolves.toEqual({
      child: { touched: true },
      childResponse: { echoed: true },
      own: { top: 1 },
    });
  });

  it("every local handler of an event reads the emit's headers", async () => {
    heard.length = 0;
    await broker.emit("local.evt", {}, { headers: { e: 1 } });
    await broker.broadcast("local.evt", {}, { headers: { b: 2 } });
    expect(heard.sort((x, y) => String(x.handler).localeCompare(String(y.handler)))).toEqual([
      { handler: "one", e: 1 },
      { handler: "one", b: 2 },
      { handler: "two", e: 1 },
      { handler: "two", b: 2 },
    ]);
  });
});

describe("Context headers", () => {
  const broker = new ServiceBroker({ nodeID: "ctx-h", logger: false });

  it("are made on first use only, and a fork shares its origin's headers", () => {
    const ctx = new Context(broker, {}, {});
    expect(ctx.hasHeaders).toBe(false);
    expect(ctx.hasResponseHeaders).toBe(false);
    ctx.headers.a = 1;
    expect(ctx.hasHeaders).toBe(true);
    expect(ctx.fork().headers).toBe(ctx.headers);
    ctx.responseHeaders = { r: 1 };
    expect(ctx.hasResponseHeaders).toBe(true);
  });
});
