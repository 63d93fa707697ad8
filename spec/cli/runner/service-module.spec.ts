import { Action, Event, Service } from "../../../lib";
import { RunnerError } from "../../../lib/cli/runner";
import { readServiceModule } from "../../../lib/cli/runner/service-module";
import { serviceOwners } from "../../../lib/cli/runner/service-names";

@Service({ name: "math", version: 2 })
class MathService {
  @Action({ params: false })
  add(): number {
    return 1;
  }
}

class Forgot {
  @Event("user.created")
  onUser(): void {}
}

class Dto {
  a!: number;
}

describe("readServiceModule", () => {
  it("keeps exported @Service classes, names classes with handlers but no @Service, ignores the rest", () => {
    const m = readServiceModule("/x/math.service.ts", { MathService, Forgot, Dto, VERSION: 3, default: MathService });
    expect(m).toEqual({ file: "/x/math.service.ts", services: [MathService], undecorated: ["Forgot"] });
  });

  it("takes `module.exports = Class` too", () => {
    expect(readServiceModule("/x/m.js", MathService).services).toEqual([MathService]);
    expect(readServiceModule("/x/m.js", null).services).toEqual([]);
  });
});

describe("serviceOwners", () => {
  it("maps full names to files", () => {
    expect(serviceOwners([{ file: "/p/a.ts", services: [MathService], undecorated: [] }], "/p")).toEqual(new Map([["v2.math", "/p/a.ts"]]));
  });

  it("refuses two services with one full name, naming where", () => {
    @Service({ name: "math", version: 2 })
    class OtherMath {}
    const a = { file: "/p/a.ts", services: [MathService], undecorated: [] };
    expect(() => serviceOwners([a, { file: "/p/lib/b.ts", services: [OtherMath], undecorated: [] }], "/p")).toThrow(
      new RunnerError("Two services are named 'v2.math': defined in both a.ts and lib/b.ts."),
    );
    expect(() => serviceOwners([{ file: "/p/a.ts", services: [MathService, OtherMath], undecorated: [] }], "/p")).toThrow(
      new RunnerError("Two services are named 'v2.math': defined twice in a.ts."),
    );
  });
});
