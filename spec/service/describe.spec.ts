import { IsNumber } from "class-validator";
import { Action, Cached, Context, Event, Service, describe as describeService, defaultServiceName, serviceFullName } from "nucleon";

class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Service({ settings: { fromMixin: true, shared: "mixin" } })
class TimestampsMixin {
  @Action()
  now(): number {
    return 1;
  }

  @Action({ name: "add" })
  mixinAdd(): string {
    return "mixin";
  }

  helper(): string {
    return "from mixin";
  }
}

@Service({ name: "math", version: 2, settings: { shared: "own" }, mixins: [TimestampsMixin], dependencies: ["users", { name: "auth", version: 1 }] })
class MathService {
  @Action({ timeout: 500, retries: 2, rest: "POST /add" })
  @Cached({ keys: ["a", "b"], ttl: 30 })
  add(params: AddParams, _ctx: Context): number {
    return params.a + params.b;
  }

  @Action({ visibility: "protected", name: "internalSum" })
  sum(): number {
    return 0;
  }

  @Event("user.created", { group: "stats" })
  onUser(): void {}

  @Event("order.*")
  onOrder(): void {}
}

@Service()
class UserProfileService {}

describe("describe()", () => {
  const d = describeService(MathService);

  it("derives names and the full name from the options", () => {
    expect(d.name).toBe("math");
    expect(d.version).toBe(2);
    expect(d.fullName).toBe("v2.math");
    expect(describeService(UserProfileService).fullName).toBe("userProfile");
  });

  it("reads actions with their options and the params class from design:paramtypes", () => {
    const add = d.actions.find((a) => a.rawName === "add")!;
    expect(add).toMatchObject({ name: "v2.math.add", method: "add", visibility: "published", timeout: 500, retries: 2 });
    expect(add.params).toBe(AddParams);
    expect(add.cache).toEqual({ enabled: true, keys: ["a", "b"], ttl: 30 });
    expect(add.options).toEqual({ rest: "POST /add" });
    const sum = d.actions.find((a) => a.rawName === "internalSum")!;
    expect(sum).toMatchObject({ name: "v2.math.internalSum", method: "sum", visibility: "protected" });
  });

  it("merges mixins, the service's own members and settings winning", () => {
    expect(d.actions.map((a) => a.rawName).sort()).toEqual(["add", "internalSum", "now"]);
    expect(d.actions.find((a) => a.rawName === "add")!.method).toBe("add");
    expect(d.settings).toEqual({ fromMixin: true, shared: "own" });
  });

  it("reads events with their group, the service name by default", () => {
    expect(d.events).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: "user.created", group: "stats", method: "onUser" }),
        expect.objectContaining({ name: "order.*", group: "math", method: "onOrder" }),
      ]),
    );
  });

  it("normalizes dependencies", () => {
    expect(d.dependencies).toEqual([{ name: "users" }, { name: "auth", version: 1 }]);
  });

  it("is memoized: the class is read once", () => {
    expect(describeService(MathService)).toBe(d);
  });

  it("rejects an undecorated class with a typed error", () => {
    class Plain {}
    expect(() => describeService(Plain)).toThrow(/not decorated with @Service/);
  });
});

describe("naming rules", () => {
  it("formats full names like Moleculer", () => {
    expect(serviceFullName("math", 2)).toBe("v2.math");
    expect(serviceFullName("math", "staging")).toBe("staging.math");
    expect(serviceFullName("math")).toBe("math");
  });

  it("derives a default service name from the class name", () => {
    expect(defaultServiceName("MathService")).toBe("math");
    expect(defaultServiceName("Greeter")).toBe("greeter");
    expect(defaultServiceName("Service")).toBe("service");
  });
});
