import { Action, Context, RequestSkippedError, RequestTimeoutError, Service, ServiceBroker } from "nucleon";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

@Service({ name: "slow" })
class SlowService {
  @Action({ params: false })
  async wait(p: { ms: number }): Promise<string> {
    await sleep(p.ms);
    return "done";
  }

  @Action({ timeout: 30, params: false })
  async shortTimeout(p: { ms: number }): Promise<string> {
    await sleep(p.ms);
    return "done";
  }

  @Action({ params: false })
  async parent(p: { childMs: number }, ctx: Context): Promise<unknown> {
    await sleep(40);
    return ctx.call("slow.wait", { ms: p.childMs }, { timeout: 10_000 });
  }

  @Action({ params: false })
  async lateParent(_p: unknown, ctx: Context): Promise<unknown> {
    await sleep(80);
    return ctx.call("slow.wait", { ms: 1 });
  }
}

describe("timeout", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false, requestTimeout: 200 });
    broker.register(SlowService);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("uses the broker's requestTimeout", async () => {
    await expect(broker.call("slow.wait", { ms: 5 })).resolves.toBe("done");
    const err = await broker.call("slow.wait", { ms: 400 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(err).toMatchObject({ code: 504, retryable: true, data: { action: "slow.wait" } });
  });

  it("lets the action's timeout win over the broker's, and the call's over both", async () => {
    await expect(broker.call("slow.shortTimeout", { ms: 80 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await expect(broker.call("slow.shortTimeout", { ms: 80 }, { timeout: 500 })).resolves.toBe("done");
    await expect(broker.call("slow.wait", { ms: 60 }, { timeout: 20 })).rejects.toBeInstanceOf(RequestTimeoutError);
  });

  it("caps a nested call at its parent's remaining time", async () => {
    const started = Date.now();
    const err = await broker.call("slow.parent", { childMs: 1000 }, { timeout: 150 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RequestTimeoutError);
    expect(Date.now() - started).toBeLessThan(400);
  });

  it("skips a nested call whose parent's deadline has passed", async () => {
    const skipped: unknown[] = [];
    const b = new ServiceBroker({ logger: false });
    @Service({ name: "p" })
    class P {
      @Action({ params: false })
      async run(_p: unknown, ctx: Context) {
        await sleep(60);
        return ctx.call("p.child").catch((e: unknown) => {
          skipped.push(e);
          throw e;
        });
      }
      @Action() child() {
        return 1;
      }
    }
    b.register(P);
    await b.start();
    await expect(b.call("p.run", {}, { timeout: 30 })).rejects.toBeInstanceOf(RequestTimeoutError);
    await sleep(60);
    expect(skipped[0]).toBeInstanceOf(RequestSkippedError);
    await b.stop();
  });
});
