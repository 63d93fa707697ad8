import { Action, Context, NucleonServerError, Service, ServiceBroker } from "nucleon";

@Service({ name: "fb" })
class FbService {
  @Action({ fallback: "recover", params: false })
  risky(p: { fail: boolean }): string {
    if (p.fail) throw new NucleonServerError("broken", 500, "BROKEN");
    return "fine";
  }

  recover(params: { fail: boolean }, _ctx: Context, err: Error): string {
    return `recovered from ${err.message} (fail=${params.fail})`;
  }

  @Action({ params: false })
  plain(): never {
    throw new NucleonServerError("plain failure", 500);
  }
}

describe("fallback", () => {
  let broker: ServiceBroker;
  beforeAll(async () => {
    broker = new ServiceBroker({ logger: false });
    broker.register(FbService);
    await broker.start();
  });
  afterAll(() => broker.stop());

  it("calls the action's fallback method with params, ctx and the error", async () => {
    await expect(broker.call("fb.risky", { fail: false })).resolves.toBe("fine");
    await expect(broker.call("fb.risky", { fail: true })).resolves.toBe("recovered from broken (fail=true)");
  });

  it("answers with a per-call fallbackResponse value or function", async () => {
    await expect(broker.call("fb.plain", {}, { fallbackResponse: "default" })).resolves.toBe("default");
    await expect(
      broker.call("fb.plain", {}, { fallbackResponse: (ctx: Context, err: Error) => `${ctx.action?.name}: ${err.message}` }),
    ).resolves.toBe("fb.plain: plain failure");
    await expect(broker.call("fb.plain")).rejects.toThrow("plain failure");
  });

  it("answers with fallbackResponse when no endpoint exists", async () => {
    await expect(broker.call("ghost.action", {}, { fallbackResponse: 0 })).resolves.toBe(0);
  });
});
