import { Action, Service, ServiceBroker, ServiceSchemaError, inject } from "nucleon";

class Repo {
  find(): string {
    return "found";
  }
}

/**
 * A class decorated by hand carries no `design:paramtypes`: the same as a
 * build with `emitDecoratorMetadata` off (or an esbuild-based runner).
 */
function serviceWithoutMetadata(name: string) {
  class NoMetadata {
    constructor(readonly repo: Repo) {}
    find(): string {
      return this.repo.find();
    }
  }
  Object.defineProperty(NoMetadata, "name", { value: name });
  const method = Object.getOwnPropertyDescriptor(NoMetadata.prototype, "find")!;
  Action()(NoMetadata.prototype, "find", method);
  return NoMetadata;
}

describe("register: constructor parameters without decorator metadata", () => {
  const broker = () => new ServiceBroker({ logger: false });

  it("throws, naming the class and the missing setting", () => {
    const Users = serviceWithoutMetadata("UsersService");
    Service()(Users);
    const register = () => broker().register(Users);
    expect(register).toThrow(ServiceSchemaError);
    expect(register).toThrow("Service class 'UsersService' takes 1 constructor parameter(s) but has no decorator metadata");
    expect(register).toThrow("emitDecoratorMetadata");
  });

  it("accepts parameters given explicit @inject tokens", async () => {
    const Users = serviceWithoutMetadata("InjectedUsers");
    inject(Repo)(Users, undefined, 0);
    Service({ name: "injected" })(Users);
    const b = broker().register(Users);
    await b.start();
    await expect(b.call("injected.find")).resolves.toBe("found");
    await b.stop();
  });

  it("accepts a class compiled with the metadata", async () => {
    @Service({ name: "typed" })
    class Typed {
      constructor(readonly repo: Repo) {}
      @Action() find(): string {
        return this.repo.find();
      }
    }
    const b = broker().register(Typed);
    await b.start();
    await expect(b.call("typed.find")).resolves.toBe("found");
    await b.stop();
  });
});
