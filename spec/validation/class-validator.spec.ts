import { Type } from "class-transformer";
import { IsInt, IsNumber, IsOptional, IsString, Min, ValidateNested } from "class-validator";
import { ValidationError } from "../../lib/errors";
import { ClassValidator } from "../../lib/validation";
import { compileCheck, expectCompiled, failures, reference, run, summary } from "./support";

class Point {
  @IsNumber() x!: number;
  @IsNumber() y!: number;

  norm(): number {
    return Math.hypot(this.x, this.y);
  }

  get label(): string {
    return `${this.x},${this.y}`;
  }
}

class Shape {
  @IsString() name!: string;
  @ValidateNested() @Type(() => Point) origin!: Point;
  @ValidateNested({ each: true }) @Type(() => Point) points!: Point[];
  @IsOptional() meta?: Record<string, unknown>;
}

describe("ClassValidator.compile", () => {
  const validator = new ClassValidator();

  it("returns null when there is nothing to check", () => {
    expect(validator.compile(undefined)).toBeNull();
    expect(validator.compile(false)).toBeNull();
  });

  it.each([Object, Number, String, Boolean, Array, Promise, Function])("returns null for the built-in %p", (ctor) => {
    expect(validator.compile(ctor)).toBeNull();
  });

  it("returns null for a class without class-validator rules", () => {
    class Plain {
      a = 1;
    }
    expect(validator.compile(Plain)).toBeNull();
  });

  it("rejects a plain-object schema", () => {
    expect(() => validator.compile({ a: "number" })).toThrow(
      new Error("ClassValidator only understands DTO classes; pass a custom validator"),
    );
  });

  it("compiles a DTO class to a synchronous check", () => {
    expectCompiled(Point);
    const check = compileCheck(Point);
    const result = check({ x: 1, y: 2 });
    expect(result).toBeInstanceOf(Point);
    expect(result).toEqual(Object.assign(new Point(), { x: 1, y: 2 }));
  });

  it("can be told not to compile (same results through class-validator)", () => {
    const check = new ClassValidator({ compile: false }).compile(Point)!;
    expect(check({ x: 1, y: 2 })).toBeInstanceOf(Point);
    expect(summary(run(check, { x: "1" }))).toEqual(summary(run(compileCheck(Point), { x: "1" })));
  });
});

describe("compiled check", () => {
  const check = compileCheck(Shape);

  it("throws a 422 ValidationError listing every failure", () => {
    let thrown: unknown;
    try {
      check({ name: 1, origin: { x: "a", y: 0 }, points: [{ x: 0, y: 0 }, { x: 1 }] });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ValidationError);
    const error = thrown as ValidationError;
    expect(error.message).toBe("Parameters validation error!");
    expect(error.code).toBe(422);
    expect(error.type).toBe("VALIDATION_ERROR");
    expect(error.data).toEqual([
      { field: "name", type: "isString", message: "name must be a string", actual: 1 },
      {
        field: "origin.x",
        type: "isNumber",
        message: "x must be a number conforming to the specified constraints",
        actual: "a",
      },
      {
        field: "points.1.y",
        type: "isNumber",
        message: "y must be a number conforming to the specified constraints",
        actual: undefined,
      },
    ]);
  });

  it.each([5, "params", true, [], [{ x: 1, y: 2 }]])("rejects the non-object params %p", (params) => {
    expect(failures(compileCheck(Point), params)).toEqual([
      { field: "", type: "unknownValue", message: "an unknown value was passed to the validate function", actual: params },
    ]);
  });

  it.each([null, undefined])("says params are required, and of which type, when they are %p", (params) => {
    const message = "params are required (an object of type Point)";
    for (const check of [compileCheck(Point), new ClassValidator({ compile: false }).compile(Point)!]) {
      let error: unknown;
      try {
        check(params);
      } catch (err) {
        error = err;
      }
      expect(error).toBeInstanceOf(ValidationError);
      expect(error).toMatchObject({ message, data: [{ field: "", type: "required", message, actual: params }] });
    }
  });

  describe("builds the instance like plainToInstance", () => {
    const input = {
      name: "tri",
      origin: { x: 0, y: 0 },
      points: [{ x: 1, y: 2, extra: [1, { deep: true }] }],
      meta: { tags: ["a"], nested: { n: null } },
      unknown: "kept",
    };

    it("with nested and array-nested instances, and unknown keys copied", () => {
      const shapeOut = check(input) as Shape;
      expect(shapeOut).toBeInstanceOf(Shape);
      expect(shapeOut.origin).toBeInstanceOf(Point);
      expect(shapeOut.points[0]).toBeInstanceOf(Point);
      expect(shapeOut.points[0].norm()).toBeCloseTo(Math.sqrt(5));
      expect(summary(run(check, input))).toEqual(summary(reference(Shape, input)));
    });

    it("deep-copies untyped objects and arrays", () => {
      const out = check(input) as Shape & { unknown: string };
      expect(out.meta).toEqual(input.meta);
      expect(out.meta).not.toBe(input.meta);
      expect(out.meta!.tags).not.toBe(input.meta.tags);
      expect(out.unknown).toBe("kept");
    });

    it("never overwrites methods or getters, nor lets __proto__ through", () => {
      const hostile = JSON.parse(
        '{"x": 1, "y": 2, "norm": 5, "label": "no", "toString": 1, "constructor": 3, "__proto__": {"polluted": true}}',
      ) as object;
      const point = compileCheck(Point)(hostile) as Point & { polluted?: boolean };
      expect(point.norm()).toBe(Math.hypot(1, 2));
      expect(point.label).toBe("1,2");
      expect(typeof point.toString).toBe("function");
      expect(point.constructor).toBe(Point);
      expect(point.polluted).toBeUndefined();
      expect(({} as { polluted?: boolean }).polluted).toBeUndefined();
      expect(summary(run(compileCheck(Point), hostile))).toEqual(summary(reference(Point, hostile)));
    });

    it("hands non-JSON values (Date, Map, class instances) to plainToInstance", () => {
      const when = new Date(0);
      const odd = { x: 1, y: 2, when, map: new Map([["k", 1]]), point: Object.assign(new Point(), { x: 3, y: 4 }) };
      const out = compileCheck(Point)(odd) as Point & { when: Date; point: Point };
      expect(out.when).toEqual(when);
      expect(out.when).not.toBe(when);
      expect(summary(run(compileCheck(Point), odd))).toEqual(summary(reference(Point, odd)));
    });

    it("accepts a DTO instance as params (a local call) and still returns a fresh instance", () => {
      const given = Object.assign(new Point(), { x: 1, y: 1 });
      const out = compileCheck(Point)(given);
      expect(out).toBeInstanceOf(Point);
      expect(out).not.toBe(given);
    });
  });

  it("honours inherited rules and per-class overrides as class-validator does", () => {
    class Base {
      @IsInt() id!: number;
      @IsString() name!: string;
    }
    class Derived extends Base {
      @Min(10) declare id: number;
      @IsString() extra!: string;
    }
    const checkDerived = compileCheck(Derived);
    expectCompiled(Derived);
    for (const input of [{ id: 11, name: "a", extra: "b" }, { id: 1.5, name: 1 }, { id: 5 }, {}]) {
      expect(summary(run(checkDerived, input))).toEqual(summary(reference(Derived, input)));
    }
  });

  it("is cached per class and reusable", () => {
    const a = compileCheck(Point);
    const b = compileCheck(Point);
    expect(a({ x: 1, y: 1 })).toEqual(b({ x: 1, y: 1 }));
  });
});
