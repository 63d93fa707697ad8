import { ActionHookMetadata, After, Before, Context, HOOKS_METADATA, OnError, Service, ServiceSchemaError } from "nucleon";

function recorded(target: object): ActionHookMetadata[] {
  return (Reflect.getMetadata(HOOKS_METADATA, target) as ActionHookMetadata[] | undefined) ?? [];
}

describe("@Before / @After / @OnError", () => {
  it("only record which method hooks which actions, in declaration order", () => {
    @Service()
    class Hooked {
      @Before("create") first(_ctx: Context): void {}
      @Before(["create", "update"]) second(_ctx: Context): void {}
      @After("*") third(_ctx: Context, result: unknown): unknown {
        return result;
      }
      @OnError("create|update") fourth(_ctx: Context, err: Error): never {
        throw err;
      }
    }
    expect(recorded(Hooked)).toEqual([
      { kind: "before", actions: ["create"], method: "first" },
      { kind: "before", actions: ["create", "update"], method: "second" },
      { kind: "after", actions: ["*"], method: "third" },
      { kind: "error", actions: ["create|update"], method: "fourth" },
    ]);
  });

  it("keep a subclass's hooks apart from its parent's", () => {
    class Base {
      @Before("*") base(_ctx: Context): void {}
    }
    class Derived extends Base {
      @Before("*") derived(_ctx: Context): void {}
    }
    expect(recorded(Base).map((h) => h.method)).toEqual(["base"]);
    expect(recorded(Derived).map((h) => h.method)).toEqual(["base", "derived"]);
  });

  it("refuse an empty target list or an empty name", () => {
    expect(() => Before([])).toThrow(ServiceSchemaError);
    expect(() => After("")).toThrow('@After needs action names (a name, "*", or a non-empty list of names).');
    expect(() => OnError(["create", ""])).toThrow(ServiceSchemaError);
  });

  it("refuse being applied as standard (TC39) decorators", () => {
    const standard = Before("create") as unknown as (value: unknown, context: { kind: string; name: string }) => void;
    expect(() => standard(() => undefined, { kind: "method", name: "trim" })).toThrow(/@Before was applied as a standard \(TC39\) method decorator to 'trim'/);
  });
});
