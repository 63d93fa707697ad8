import { IsNumber } from "class-validator";
import {
  Action,
  BrokerOptionsError,
  ClassValidator,
  Service,
  ServiceBroker,
  ValidationError,
  Validators,
  type CheckFunction,
  type Validator,
} from "nucleon";

class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Service({ name: "math" })
class MathService {
  @Action()
  add(params: AddParams): number {
    return params.a + params.b;
  }
}

/** A user's validator: rejects every call, and records its options. */
class RejectAll implements Validator {
  static lastOptions: Record<string, unknown> | undefined;
  constructor(options: Record<string, unknown> = {}) {
    RejectAll.lastOptions = options;
  }
  compile(): CheckFunction {
    return () => {
      throw new ValidationError("rejected by RejectAll");
    };
  }
}

async function callWith(validator: ServiceBroker["options"]["validator"], params: unknown): Promise<unknown> {
  const broker = new ServiceBroker({ logger: false, validator });
  broker.register(MathService);
  await broker.start();
  try {
    return await broker.call("math.add", params);
  } finally {
    await broker.stop();
  }
}

describe("Validators", () => {
  afterEach(() => Validators.unregister("RejectAll"));

  it("has ClassValidator, the broker's default", async () => {
    expect(Validators.names()).toEqual(["ClassValidator"]);
    expect(Validators.get("classvalidator")).toBe(ClassValidator);
    for (const option of [undefined, true, "ClassValidator", { type: "classValidator", options: { compile: false } }]) {
      const broker = new ServiceBroker({ logger: false, validator: option });
      expect(broker.validator).toBeInstanceOf(ClassValidator);
    }
    await expect(callWith(undefined, { a: 1, b: "x" })).rejects.toBeInstanceOf(ValidationError);
    await expect(callWith(false, { a: 1, b: 2 })).resolves.toBe(3);
  });

  it("resolves a user's validator by its registered name, as a class, or as an instance", async () => {
    Validators.register("RejectAll", RejectAll);
    await expect(callWith("rejectall", { a: 1, b: 2 })).rejects.toThrow("rejected by RejectAll");
    await expect(callWith({ type: "RejectAll", options: { strict: true } }, { a: 1, b: 2 })).rejects.toThrow(ValidationError);
    expect(RejectAll.lastOptions).toEqual({ strict: true });
    expect(new ServiceBroker({ logger: false, validator: RejectAll }).validator).toBeInstanceOf(RejectAll);
    const own = new RejectAll();
    expect(new ServiceBroker({ logger: false, validator: own }).validator).toBe(own);
  });

  it("rejects an unknown name and an object that is no validator", () => {
    expect(() => new ServiceBroker({ logger: false, validator: "Fastest" })).toThrow(
      new BrokerOptionsError("Unknown validator 'Fastest'. Known: ClassValidator."),
    );
    expect(() => new ServiceBroker({ logger: false, validator: {} as unknown as Validator })).toThrow(BrokerOptionsError);
  });
});
