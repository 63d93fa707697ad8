import { ACTIONS_METADATA, Action, EVENTS_METADATA, Event, SERVICE_METADATA, Service } from "nucleon";
import { container } from "tsyringe";

describe("decorators", () => {
  it("only record metadata: nothing is wired at decoration time", () => {
    const created = jest.fn();
    @Service({ name: "quiet" })
    class Quiet {
      constructor() {
        created();
      }
      @Action() ping(): string {
        return "pong";
      }
      @Event("x") onX(): void {}
    }
    expect(created).not.toHaveBeenCalled();
    expect(Reflect.getMetadata(SERVICE_METADATA, Quiet)).toEqual({ name: "quiet" });
    expect(Reflect.getMetadata(ACTIONS_METADATA, Quiet)).toHaveLength(1);
    expect(Reflect.getMetadata(EVENTS_METADATA, Quiet)).toHaveLength(1);
  });

  it("make the service class injectable", () => {
    @Service()
    class Dep {}
    @Service()
    class Uses {
      constructor(readonly dep: Dep) {}
    }
    const child = container.createChildContainer();
    expect(child.resolve(Uses).dep).toBeInstanceOf(Dep);
  });

  it("keep a subclass's members apart from its parent's", () => {
    @Service()
    class Base {
      @Action() a(): number {
        return 1;
      }
    }
    @Service()
    class Derived extends Base {
      @Action() b(): number {
        return 2;
      }
    }
    expect((Reflect.getMetadata(ACTIONS_METADATA, Base) as unknown[]).length).toBe(1);
    expect((Reflect.getMetadata(ACTIONS_METADATA, Derived) as unknown[]).length).toBe(2);
  });
});
