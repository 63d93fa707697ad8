import { IsString } from "class-validator";
import { Action, Constructor, Context, Service, ServiceBroker, ValidationError } from "nucleon";
import { captureLogger } from "../cachers/capture-logger";

class CreateUserDto {
  @IsString() name!: string;
}

interface CreateUser {
  name: string;
}

@Service({ name: "users" })
class UsersService {
  @Action()
  create(params: CreateUser): string {
    return params.name;
  }

  @Action({ params: false })
  rename(params: CreateUser): string {
    return params.name;
  }

  @Action()
  createChecked(params: CreateUserDto): string {
    return params.name;
  }

  @Action()
  count(_params: undefined, _ctx: Context): number {
    return 0;
  }

  @Action()
  ping(): string {
    return "pong";
  }
}

async function warningsFor(target: Constructor, validator = true): Promise<string[]> {
  const { logger, warnings } = captureLogger();
  const broker = new ServiceBroker({ logger, validator });
  broker.register(target);
  await broker.start();
  await broker.stop();
  return warnings().map((line) => line.msg);
}

describe("register: params that no schema validates", () => {
  it("warns once per action typed with an interface", async () => {
    const warnings = await warningsFor(UsersService);
    const about = warnings.filter((msg) => msg.startsWith("params of "));
    expect(about).toHaveLength(1);
    expect(about[0]).toContain("params of users.create are not validated: their declared type is not a class");
    expect(about[0]).toContain("set `params: false`");
  });

  it("says nothing when validation is off for the broker", async () => {
    expect((await warningsFor(UsersService, false)).filter((msg) => msg.startsWith("params of "))).toEqual([]);
  });

  it("warns when the handler's parameter types were not emitted", async () => {
    class Bare {
      handle(params: { id: number }): number {
        return params.id;
      }
    }
    Action()(Bare.prototype, "handle", Object.getOwnPropertyDescriptor(Bare.prototype, "handle")!);
    Service({ name: "bare" })(Bare);
    const warnings = await warningsFor(Bare);
    expect(warnings).toContainEqual(expect.stringContaining("params of bare.handle are not validated: TypeScript emitted no parameter types"));
  });
});

describe("a call without params to an action with a DTO", () => {
  it("says params are required, and of which type", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(UsersService);
    await broker.start();
    const message = "params are required (an object of type CreateUserDto)";
    const call = broker.call("users.createChecked");
    await expect(call).rejects.toBeInstanceOf(ValidationError);
    await expect(call).rejects.toMatchObject({ message, data: [{ field: "", type: "required", message }] });
    await broker.stop();
  });
});
