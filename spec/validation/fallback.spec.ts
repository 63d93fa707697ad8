import { Exclude, Expose, Transform, Type } from "class-transformer";
import {
  IsDate,
  IsInt,
  IsNumber,
  IsOptional,
  IsString,
  Min,
  Validate,
  ValidateBy,
  ValidateNested,
  ValidationArguments,
  ValidatorConstraint,
  ValidatorConstraintInterface,
} from "class-validator";
import type { ValidationError as ClassValidatorError } from "class-validator";
import { ValidationError } from "../../lib/errors";
import { toFieldErrors } from "../../lib/validation";
import { dtoGraph } from "../../lib/validation/compile-dto";
import {
  compileCheck,
  expectCompiled,
  failures,
  reference,
  referenceAsync,
  run,
  runAsync,
  summary,
} from "./support";

function IsEven(): PropertyDecorator {
  return ValidateBy({
    name: "isEven",
    validator: {
      validate: (value: unknown) => typeof value === "number" && value % 2 === 0,
      defaultMessage: (args?: ValidationArguments) => `${args?.property} must be even`,
    },
  });
}

/** A custom decorator that reuses a built-in name with other semantics. */
function IsStringOrNumber(): PropertyDecorator {
  return ValidateBy({
    name: "isString",
    validator: {
      validate: (value: unknown) => typeof value === "string" || typeof value === "number",
      defaultMessage: () => "$property must be a string or a number",
    },
  });
}

@ValidatorConstraint({ name: "divisibleBy" })
class DivisibleBy implements ValidatorConstraintInterface {
  validate(value: unknown, args: ValidationArguments): boolean {
    return typeof value === "number" && value % (args.constraints[0] as number) === 0;
  }

  defaultMessage(args: ValidationArguments): string {
    return `$property must be divisible by ${String(args.constraints[0])}`;
  }
}

const taken = new Set(["admin", "root"]);

@ValidatorConstraint({ name: "isFreeName", async: true })
class IsFreeName implements ValidatorConstraintInterface {
  async validate(value: unknown): Promise<boolean> {
    await new Promise((resolve) => setTimeout(resolve, 1));
    return typeof value === "string" && !taken.has(value);
  }

  defaultMessage(): string {
    return "$property $value is taken";
  }
}

class WithCustom {
  @IsEven() n!: number;
  @IsString() s!: string;
}

class WithConstraintClass {
  @Validate(DivisibleBy, [3]) n!: number;
  @IsInt() i!: number;
}

class Signup {
  @IsString() @Validate(IsFreeName) name!: string;
  @Min(18) age!: number;
}

class Inner {
  @IsEven() n!: number;
}

class Outer {
  @IsString() s!: string;
  @ValidateNested() @Type(() => Inner) inner!: Inner;
}

class Lookalike {
  @IsStringOrNumber() v!: unknown;
}

describe("fallback to class-validator", () => {
  it.each([WithCustom, WithConstraintClass, Signup, Outer, Lookalike])("does not compile %p", (dto) => {
    expect(dtoGraph(dto).compiled).toBe(false);
  });

  it("runs a ValidateBy decorator synchronously, with the same field list", () => {
    const check = compileCheck(WithCustom);
    expect(check({ n: 2, s: "a" })).toBeInstanceOf(WithCustom);
    expect(failures(check, { n: 3, s: 1 })).toEqual([
      { field: "n", type: "isEven", message: "n must be even", actual: 3 },
      { field: "s", type: "isString", message: "s must be a string", actual: 1 },
    ]);
    for (const input of [{ n: 3 }, { n: 4, s: "x" }, {}]) {
      expect(summary(run(check, input))).toEqual(summary(reference(WithCustom, input)));
    }
  });

  it("runs a constraint class with its default message", () => {
    const check = compileCheck(WithConstraintClass);
    expect(failures(check, { n: 4, i: 1 })).toEqual([
      { field: "n", type: "divisibleBy", message: "n must be divisible by 3", actual: 4 },
    ]);
    expect(summary(run(check, { n: 3, i: 1.5 }))).toEqual(summary(reference(WithConstraintClass, { n: 3, i: 1.5 })));
  });

  it("returns a Promise when the DTO has an async constraint", async () => {
    const check = compileCheck(Signup);
    const ok = check({ name: "ann", age: 20 });
    expect(ok).toBeInstanceOf(Promise);
    await expect(ok).resolves.toBeInstanceOf(Signup);
    await expect(check({ name: "root", age: 20 })).rejects.toBeInstanceOf(ValidationError);
    expect(await runAsync(check, { name: "admin", age: 3 })).toEqual({
      ok: false,
      fields: [
        { field: "name", type: "isFreeName", message: "name admin is taken", actual: "admin" },
        { field: "age", type: "min", message: "age must not be less than 18", actual: 3 },
      ],
    });
    for (const input of [{ name: 5 }, { name: "bob", age: 18 }]) {
      expect(summary(await runAsync(check, input))).toEqual(summary(await referenceAsync(Signup, input)));
    }
    expect(() => check(null)).toThrow(ValidationError); // non-object params fail before anything async
  });

  it("falls back for the whole DTO when a nested DTO has an uncompiled rule", () => {
    const check = compileCheck(Outer);
    const input = { s: 1, inner: { n: 1 } };
    expect(failures(check, input).map((f) => `${f.field}|${f.type}`)).toEqual(["s|isString", "inner.n|isEven"]);
    expect(summary(run(check, input))).toEqual(summary(reference(Outer, input)));
  });

  it("does not trust a custom rule that borrows a built-in name", () => {
    const check = compileCheck(Lookalike);
    expect(failures(check, { v: 5 })).toEqual([]);
    expect(failures(check, { v: true })).toEqual([
      { field: "v", type: "isString", message: "v must be a string or a number", actual: true },
    ]);
  });
});

describe("class-transformer metadata", () => {
  class Renamed {
    @Expose({ name: "user_name" }) @IsString() userName!: string;
    @Exclude() @IsOptional() @IsString() secret?: string;
    @Transform(({ value }) => (typeof value === "string" ? Number(value) : value)) @IsNumber() count!: number;
  }

  class Dated {
    @Type(() => Date) @IsDate() at!: Date;
    @Type(() => Number) @IsInt() n!: number;
    @Type(() => String) @IsString({ each: true }) tags!: string[];
  }

  class Animal {
    @IsString() kind!: string;
  }
  class Dog extends Animal {
    @IsString() bark!: string;
  }
  class Zoo {
    @ValidateNested({ each: true })
    @Type(() => Animal, { discriminator: { property: "kind", subTypes: [{ value: Dog, name: "dog" }] }, keepDiscriminatorProperty: true })
    animals!: Animal[];
  }

  it("builds instances with plainToInstance when @Expose/@Exclude/@Transform are present, checks stay compiled", () => {
    expectCompiled(Renamed);
    const check = compileCheck(Renamed);
    const out = check({ user_name: "ann", secret: "x", count: "3" }) as Renamed;
    expect(out).toEqual(Object.assign(new Renamed(), { userName: "ann", count: 3 }));
    for (const input of [{ user_name: 1, count: "x" }, { userName: "a", count: 1 }, { secret: 5 }]) {
      expect(summary(run(check, input))).toEqual(summary(reference(Renamed, input)));
    }
  });

  it("converts with @Type(() => Date | Number | String) like class-transformer", () => {
    expectCompiled(Dated);
    const check = compileCheck(Dated);
    const out = check({ at: "2020-01-02T03:04:05Z", n: "42", tags: [1, "b"] }) as Dated;
    expect(out.at).toEqual(new Date("2020-01-02T03:04:05Z"));
    expect(out.n).toBe(42);
    expect(out.tags).toEqual(["1", "b"]);
    for (const input of [{ at: "nope", n: "4.5", tags: null }, { at: 0, n: null, tags: "x" }, { at: null }, {}]) {
      expect(summary(run(check, input))).toEqual(summary(reference(Dated, input)));
    }
  });

  it("leaves discriminated @Type to plainToInstance", () => {
    const check = compileCheck(Zoo);
    const input = { animals: [{ kind: "dog", bark: 1 }, { kind: "cat" }] };
    expect(failures(check, input).map((f) => `${f.field}|${f.type}`)).toEqual(["animals.0.bark|isString"]);
    expect(summary(run(check, input))).toEqual(summary(reference(Zoo, input)));
  });
});

describe("toFieldErrors", () => {
  it("flattens class-validator's error tree into dotted paths", () => {
    const tree = [
      {
        property: "items",
        value: [],
        constraints: { arrayMinSize: "too few" },
        children: [
          {
            property: "0",
            value: {},
            children: [{ property: "name", value: 1, constraints: { isString: "name must be a string" }, children: [] }],
          },
        ],
      },
      { property: undefined, value: undefined, constraints: { unknownValue: "unknown" }, children: [] },
    ] as unknown as ClassValidatorError[];
    expect(toFieldErrors(tree)).toEqual([
      { field: "items", type: "arrayMinSize", message: "too few", actual: [] },
      { field: "items.0.name", type: "isString", message: "name must be a string", actual: 1 },
      { field: "", type: "unknownValue", message: "unknown", actual: undefined },
    ]);
  });
});
