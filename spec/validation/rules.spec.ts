import { Transform } from "class-transformer";
import {
  ArrayMaxSize,
  ArrayMinSize,
  ArrayNotEmpty,
  Equals,
  IsArray,
  IsBoolean,
  IsDate,
  IsDefined,
  IsEmail,
  IsEmpty,
  IsEnum,
  IsIn,
  IsInt,
  IsNegative,
  IsNotEmpty,
  IsNotIn,
  IsNumber,
  IsObject,
  IsOptional,
  IsPositive,
  IsString,
  IsUUID,
  Length,
  Matches,
  Max,
  MaxLength,
  Min,
  MinLength,
  NotEquals,
} from "class-validator";
import { compileCheck, dtoWith, expectCompiled, failures, reference, run, shape, summary } from "./support";

enum Color {
  Red = "red",
  Blue = "blue",
}
enum Level {
  Low,
  High,
}

interface Row {
  name: string;
  decorators: PropertyDecorator[];
  good: unknown[];
  bad: unknown[];
  /** Constraint type and message expected for the first bad value. */
  type: string;
  message: string;
}

/* eslint-disable no-new-wrappers -- isString/isBoolean accept wrapper objects */
const rows: Row[] = [
  { name: "IsString", decorators: [IsString()], good: ["", "a", new String("x")], bad: [1, null, undefined, [], {}], type: "isString", message: "value must be a string" },
  { name: "IsNumber", decorators: [IsNumber()], good: [0, -1.5, 1e21], bad: ["1", NaN, Infinity, -Infinity, null], type: "isNumber", message: "value must be a number conforming to the specified constraints" },
  { name: "IsNumber allowNaN/Infinity", decorators: [IsNumber({ allowNaN: true, allowInfinity: true })], good: [NaN, Infinity, -Infinity, 2], bad: ["x", null], type: "isNumber", message: "value must be a number conforming to the specified constraints" },
  { name: "IsNumber maxDecimalPlaces", decorators: [IsNumber({ maxDecimalPlaces: 2 })], good: [1, 1.25, -3.5, 1e21], bad: [1.255, Infinity, NaN], type: "isNumber", message: "value must be a number conforming to the specified constraints" },
  { name: "IsInt", decorators: [IsInt()], good: [0, -3, 1e21], bad: [1.5, "1", NaN, Infinity], type: "isInt", message: "value must be an integer number" },
  { name: "IsBoolean", decorators: [IsBoolean()], good: [true, false, new Boolean(false)], bad: [0, "true", null], type: "isBoolean", message: "value must be a boolean value" },
  { name: "IsOptional", decorators: [IsOptional(), IsNumber()], good: [undefined, null, 3], bad: ["x", NaN], type: "isNumber", message: "value must be a number conforming to the specified constraints" },
  { name: "IsDefined", decorators: [IsDefined()], good: [0, "", false], bad: [undefined, null], type: "isDefined", message: "value should not be null or undefined" },
  { name: "IsOptional skips IsDefined", decorators: [IsOptional(), IsDefined()], good: [undefined, null, 0], bad: [], type: "", message: "" },
  { name: "IsNotEmpty", decorators: [IsNotEmpty()], good: [0, false, " ", []], bad: ["", null, undefined], type: "isNotEmpty", message: "value should not be empty" },
  { name: "IsEmpty", decorators: [IsEmpty()], good: ["", null, undefined], bad: [0, " ", false], type: "isEmpty", message: "value must be empty" },
  { name: "Min", decorators: [Min(3)], good: [3, 4.5, Infinity], bad: [2.9, "5", NaN, null], type: "min", message: "value must not be less than 3" },
  { name: "Max", decorators: [Max(3)], good: [3, -1, -Infinity], bad: [3.1, "1", NaN], type: "max", message: "value must not be greater than 3" },
  { name: "MinLength", decorators: [MinLength(2)], good: ["ab", "😀😀", "a\uFE0Fb"], bad: ["a", "😀", "a\uFE0F", 12, null], type: "minLength", message: "value must be longer than or equal to 2 characters" },
  { name: "MaxLength", decorators: [MaxLength(3)], good: ["", "abc", "😀😀😀", "a\uFE0Fbc"], bad: ["abcd", "😀😀😀😀", ["a"]], type: "maxLength", message: "value must be shorter than or equal to 3 characters" },
  { name: "Length", decorators: [Length(2, 3)], good: ["ab", "abc", "😀😀"], bad: ["a", "abcd", 5], type: "isLength", message: "value must be longer than or equal to 2 characters" },
  { name: "Length max message", decorators: [Length(2, 3)], good: [], bad: ["abcd"], type: "isLength", message: "value must be shorter than or equal to 3 characters" },
  { name: "Length min only", decorators: [Length(2)], good: ["ab", "a".repeat(100)], bad: ["a"], type: "isLength", message: "value must be longer than or equal to 2 characters" },
  { name: "IsIn", decorators: [IsIn(["a", 1, null])], good: ["a", 1, null], bad: ["b", "1", NaN, undefined], type: "isIn", message: "value must be one of the following values: a, 1, " },
  { name: "IsNotIn", decorators: [IsNotIn(["a", 1])], good: ["b", 2, null], bad: ["a", 1], type: "isNotIn", message: "value should not be one of the following values: a, 1" },
  { name: "IsEnum string", decorators: [IsEnum(Color)], good: ["red", "blue"], bad: ["Red", "green", 0], type: "isEnum", message: "value must be one of the following values: red, blue" },
  { name: "IsEnum numeric", decorators: [IsEnum(Level)], good: [0, 1, "Low"], bad: [2, "0", null], type: "isEnum", message: "value must be one of the following values: 0, 1" },
  { name: "Equals", decorators: [Equals("x")], good: ["x"], bad: ["y", null], type: "equals", message: "value must be equal to x" },
  { name: "NotEquals", decorators: [NotEquals("x")], good: ["y", undefined], bad: ["x"], type: "notEquals", message: "value should not be equal to x" },
  { name: "IsArray", decorators: [IsArray()], good: [[], [1, "a"]], bad: [{}, "a", null], type: "isArray", message: "value must be an array" },
  { name: "ArrayMinSize", decorators: [ArrayMinSize(2)], good: [[1, 2], [1, 2, 3]], bad: [[1], "ab", null], type: "arrayMinSize", message: "value must contain at least 2 elements" },
  { name: "ArrayMaxSize", decorators: [ArrayMaxSize(1)], good: [[], [1]], bad: [[1, 2], "a"], type: "arrayMaxSize", message: "value must contain no more than 1 elements" },
  { name: "ArrayNotEmpty", decorators: [ArrayNotEmpty()], good: [[0]], bad: [[], "a", undefined], type: "arrayNotEmpty", message: "value should not be empty" },
  { name: "Matches RegExp", decorators: [Matches(/^a+$/)], good: ["a", "aaa"], bad: ["b", "", 1], type: "matches", message: "value must match /^a+$/ regular expression" },
  { name: "Matches string + flags", decorators: [Matches("^A", "i")], good: ["abc", "Ab"], bad: ["ba"], type: "matches", message: "value must match ^A regular expression" },
  { name: "Matches global RegExp", decorators: [Matches(/b/g)], good: ["abc", "b"], bad: ["a"], type: "matches", message: "value must match /b/g regular expression" },
  { name: "IsEmail", decorators: [IsEmail()], good: ["a@b.co", "first.last@example.com"], bad: ["a@", "@b.co", 3], type: "isEmail", message: "value must be an email" },
  { name: "IsUUID v4", decorators: [IsUUID("4")], good: ["123e4567-e89b-42d3-a456-426614174000"], bad: ["123e4567-e89b-12d3-a456-426614174000", "x", 4], type: "isUuid", message: "value must be a UUID" },
  { name: "IsUUID any", decorators: [IsUUID()], good: ["123e4567-e89b-12d3-a456-426614174000"], bad: ["123e4567e89b12d3a456426614174000"], type: "isUuid", message: "value must be a UUID" },
  { name: "IsDate", decorators: [IsDate()], good: [new Date(0)], bad: [new Date(NaN), "2020-01-01", 0], type: "isDate", message: "value must be a Date instance" },
  { name: "IsPositive", decorators: [IsPositive()], good: [0.1, Infinity], bad: [0, -0, -1, "1"], type: "isPositive", message: "value must be a positive number" },
  { name: "IsNegative", decorators: [IsNegative()], good: [-0.1, -Infinity], bad: [0, 1, "-1"], type: "isNegative", message: "value must be a negative number" },
  { name: "IsObject", decorators: [IsObject()], good: [{}, { a: 1 }], bad: [[], null, "x"], type: "isObject", message: "value must be an object" },
  { name: "each", decorators: [IsNumber({}, { each: true })], good: [[1, 2], [], 5], bad: [[1, "2"], "x"], type: "isNumber", message: "each value in value must be a number conforming to the specified constraints" },
  { name: "each + array size", decorators: [IsString({ each: true }), ArrayMaxSize(2)], good: [["a"], []], bad: [["a", 1]], type: "isString", message: "each value in value must be a string" },
  { name: "message tokens", decorators: [Min(3, { message: "$property of $target must be >= $constraint1 (got $value)" })], good: [3], bad: [1], type: "min", message: "value of message tokens must be >= 3 (got 1)" },
  { name: "message function", decorators: [Max(1, { message: (args) => `too big: ${String(args.value)}` })], good: [1], bad: [2], type: "max", message: "too big: 2" },
];
/* eslint-enable no-new-wrappers */

describe("compiled rules", () => {
  describe.each(rows)("$name", (row) => {
    const Dto = dtoWith(row.name, ...row.decorators);
    const check = compileCheck(Dto);

    it("is compiled, not delegated to class-validator", () => {
      expectCompiled(Dto);
    });

    it("accepts the good values", () => {
      for (const value of row.good) expect(failures(check, { value })).toEqual([]);
    });

    it("rejects the bad values", () => {
      for (const value of row.bad) {
        const fields = failures(check, { value });
        expect(fields.map((f) => `${f.field}|${f.type}`)).toEqual([`value|${row.type}`]);
        expect(shape(fields[0].actual)).toEqual(shape(value)); // a copy: plainToInstance deep-copies arrays/objects
      }
    });

    it("reports class-validator's message", () => {
      if (row.bad.length === 0) return;
      expect(failures(check, { value: row.bad[0] })[0].message).toBe(row.message);
    });

    it("agrees with plainToInstance + validateSync on every value", () => {
      for (const value of [...row.good, ...row.bad]) {
        expect(summary(run(check, { value }))).toEqual(summary(reference(Dto, { value })));
      }
    });
  });

  it("keeps one entry per constraint type, with the last message, like class-validator's constraints map", () => {
    const Dto = dtoWith("Twice", Min(5), Min(3)); // applied in this order: Min(3) is the later rule
    const check = compileCheck(Dto);
    expectCompiled(Dto);
    expect(failures(check, { value: 1 })).toEqual([
      { field: "value", type: "min", message: "value must not be less than 3", actual: 1 },
    ]);
    expect(summary(run(check, { value: 1 }))).toEqual(summary(reference(Dto, { value: 1 })));
    expect(failures(check, { value: 4 })).toEqual([
      { field: "value", type: "min", message: "value must not be less than 5", actual: 4 },
    ]);
  });

  it("checks `each` over a Set or Map produced by a @Transform (compiled checks, plainToInstance creation)", () => {
    const Dto = dtoWith(
      "SetDto",
      Transform(({ value }) => (Array.isArray(value) ? new Set(value) : value)),
      MinLength(2, { each: true }),
    );
    const check = compileCheck(Dto);
    expectCompiled(Dto);
    expect(failures(check, { value: ["ab", "cd"] })).toEqual([]);
    expect(failures(check, { value: ["ab", "c"] }).map((f) => f.type)).toEqual(["minLength"]);
    for (const value of [["ab", "c"], ["ab"], []]) {
      expect(summary(run(check, { value }))).toEqual(summary(reference(Dto, { value })));
    }
    const MapDto = dtoWith(
      "MapDto",
      Transform(({ value }) => new Map(Object.entries(value as object))),
      IsInt({ each: true }),
    );
    const checkMap = compileCheck(MapDto);
    expect(failures(checkMap, { value: { a: 1, b: 2 } })).toEqual([]);
    expect(summary(run(checkMap, { value: { a: 1, b: 2.5 } }))).toEqual(summary(reference(MapDto, { value: { a: 1, b: 2.5 } })));
  });

  it("reproduces class-validator's own crash for maxDecimalPlaces on exponent notation", () => {
    const Dto = dtoWith("Decimals", IsNumber({ maxDecimalPlaces: 3 }));
    const check = compileCheck(Dto);
    expect(run(check, { value: 1e-7 })).toEqual({ crash: "TypeError" });
    expect(reference(Dto, { value: 1e-7 })).toEqual({ crash: "TypeError" });
  });
});
