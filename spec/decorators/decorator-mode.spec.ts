import { Action, Cached, Event, Service, ServiceSchemaError } from "nucleon";

/**
 * TypeScript 5 without `experimentalDecorators` (and esbuild/tsx without it in
 * tsconfig) calls decorators the TC39 way: `(value, context)`. The specs call
 * them with that shape, as such a build would.
 */
type Tc39Decorator = (value: unknown, context: Record<string, unknown>) => unknown;
const tc39 = (decorator: unknown): Tc39Decorator => decorator as Tc39Decorator;
const methodContext = (name: string) => ({ kind: "method", name, static: false, private: false, metadata: {}, addInitializer: () => undefined });

describe("decorators compiled as standard (TC39) decorators", () => {
  it.each([
    ["Action", () => tc39(Action())(function add() {}, methodContext("add"))],
    ["Event", () => tc39(Event("user.created"))(function onUser() {}, methodContext("onUser"))],
    ["Cached", () => tc39(Cached())(function add() {}, methodContext("add"))],
  ])("@%s throws, naming the tsconfig settings", (name, apply) => {
    expect(apply).toThrow(ServiceSchemaError);
    expect(apply).toThrow(`@${name} was applied as a standard (TC39) method decorator`);
    expect(apply).toThrow("nucleon needs `experimentalDecorators` and `emitDecoratorMetadata` in tsconfig.json");
  });

  it("@Service throws too", () => {
    class Users {}
    const apply = () => tc39(Service())(Users, { kind: "class", name: "Users", metadata: {}, addInitializer: () => undefined });
    expect(apply).toThrow("@Service was applied as a standard (TC39) class decorator to 'Users'");
    expect(apply).toThrow("experimentalDecorators");
  });

  it("the experimental call form still records the action", () => {
    class Plain {
      add(): number {
        return 1;
      }
    }
    const descriptor = Object.getOwnPropertyDescriptor(Plain.prototype, "add")!;
    expect(() => Action()(Plain.prototype, "add", descriptor)).not.toThrow();
  });
});
