import { Action, After, Before, Context, OnError, Service, describe as describeService } from "nucleon";

/** The descriptor part of action hooks: which methods, in which order, per action. */
describe("describe: action hooks", () => {
  @Service()
  class FirstMixin {
    @Before("*") firstAll(_ctx: Context): void {}
    @Before("create") firstCreate(_ctx: Context): void {}
    @After("create") firstCreateAfter(_ctx: Context, r: unknown): unknown {
      return r;
    }
    @OnError("*") firstAllError(_ctx: Context, e: Error): never {
      throw e;
    }
  }

  @Service()
  class SecondMixin {
    @Before("*") secondAll(_ctx: Context): void {}
    @Before("create") secondCreate(_ctx: Context): void {}
    @After("create") secondCreateAfter(_ctx: Context, r: unknown): unknown {
      return r;
    }
    @OnError("*") secondAllError(_ctx: Context, e: Error): never {
      throw e;
    }
  }

  @Service({ name: "ordered", mixins: [FirstMixin, SecondMixin] })
  class Ordered {
    @Action({ params: false }) create(): void {}
    @Action({ params: false }) update(): void {}
    @Action({ params: false }) list(): void {}

    @Before("create") ownCreate(_ctx: Context): void {}
    @Before(["*", "create"]) ownAllAndCreate(_ctx: Context): void {}
    @Before("update|list") updateOrList(_ctx: Context): void {}
    @After("create") ownCreateAfter(_ctx: Context, r: unknown): unknown {
      return r;
    }
    @OnError("create") ownCreateError(_ctx: Context, e: Error): never {
      throw e;
    }
  }

  const hooksOf = (name: string) => describeService(Ordered).actions.find((a) => a.rawName === name)?.hooks;

  it("orders before hooks: service-wide then per-action, each in mixins order then the class's", () => {
    // ownAllAndCreate targets both "*" and "create": it runs once, at its first place.
    expect(hooksOf("create")?.before).toEqual(["firstAll", "secondAll", "ownAllAndCreate", "firstCreate", "secondCreate", "ownCreate"]);
  });

  it("orders after and error hooks the other way round: per-action then service-wide, the class first", () => {
    expect(hooksOf("create")?.after).toEqual(["ownCreateAfter", "secondCreateAfter", "firstCreateAfter"]);
    expect(hooksOf("create")?.error).toEqual(["ownCreateError", "secondAllError", "firstAllError"]);
  });

  it('matches "a|b" targets and gives other actions only the service-wide hooks', () => {
    expect(hooksOf("update")).toEqual({
      before: ["firstAll", "secondAll", "ownAllAndCreate", "updateOrList"],
      after: [],
      error: ["secondAllError", "firstAllError"],
    });
    expect(hooksOf("list")?.before).toEqual(hooksOf("update")?.before);
  });

  it("gives a service without hooks no hooks field at all", () => {
    @Service({ name: "hookless" })
    class Hookless {
      @Action({ params: false }) ping(): string {
        return "pong";
      }
    }
    expect(describeService(Hookless).actions[0]).not.toHaveProperty("hooks");
  });
});
