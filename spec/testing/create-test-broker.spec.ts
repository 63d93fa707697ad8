import { Action, Context, Service, ServiceNotFoundError } from "nucleon";
import { createTestBroker } from "nucleon/testing";
import { injectable } from "tsyringe";

@injectable()
class Clock {
  now(): number {
    return Date.now();
  }
}

@Service({ name: "orders" })
class OrdersService {
  constructor(private readonly clock: Clock) {}

  @Action()
  async place(params: { userId: number }, ctx: Context): Promise<{ user: unknown; at: number }> {
    const user = await ctx.call("users.get", { id: params.userId });
    return { user, at: this.clock.now() };
  }
}

describe("createTestBroker", () => {
  it("replaces dependencies with providers and answers absent services with stubs", async () => {
    const getUser = jest.fn((p: { id: number }) => ({ id: p.id, name: "stub" }));
    const broker = await createTestBroker({
      services: [OrdersService],
      providers: [{ token: Clock, useValue: { now: () => 1234 } }],
      stubs: { "users.get": getUser },
    });
    await expect(broker.call("orders.place", { userId: 7 })).resolves.toEqual({ user: { id: 7, name: "stub" }, at: 1234 });
    expect(getUser).toHaveBeenCalledWith({ id: 7 }, expect.any(Object));
    await broker.stop();
  });

  it("supports useClass and useFactory providers and versioned stubs", async () => {
    class FakeClock {
      now() {
        return 1;
      }
    }
    const a = await createTestBroker({ services: [OrdersService], providers: [{ token: Clock, useClass: FakeClock }], stubs: { "users.get": () => null } });
    await expect(a.call("orders.place", { userId: 1 })).resolves.toEqual({ user: null, at: 1 });
    await a.stop();
    const b = await createTestBroker({
      services: [OrdersService],
      providers: [{ token: Clock, useFactory: () => ({ now: () => 2 }) }],
      stubs: { "users.get": () => "u", "v2.audit.log": () => "logged" },
    });
    await expect(b.call("orders.place", { userId: 1 })).resolves.toEqual({ user: "u", at: 2 });
    await expect(b.call("v2.audit.log")).resolves.toBe("logged");
    await expect(b.call("users.missing")).rejects.toBeInstanceOf(ServiceNotFoundError);
    await b.stop();
  });

  it("rejects a malformed stub name", async () => {
    await expect(createTestBroker({ stubs: { nodot: () => 1 } })).rejects.toThrow(/<service>.<action>/);
  });
});
