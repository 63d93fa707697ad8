import { inspect, isDeepStrictEqual } from "node:util";
import { Type } from "class-transformer";
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
  ValidateIf,
  ValidateNested,
} from "class-validator";
import type { Constructor } from "../../lib/decorators/types";
import { compileCheck, expectCompiled, reference, run, seededRandom, summary } from "./support";

/**
 * Differential test: random valid and invalid params through the compiled
 * check and through plainToInstance + validateSync must give the same
 * instance, or the same failures (field, constraint, message, in order), or
 * the same crash. Seeded, so a failure names an input that reproduces.
 */

enum Color {
  Red = "red",
  Blue = "blue",
}
enum Level {
  Low,
  High,
}

class Numbers {
  @IsNumber() n!: number;
  @IsNumber({ allowNaN: true, allowInfinity: true }) loose!: number;
  @IsNumber({ maxDecimalPlaces: 2 }) money!: number;
  @IsInt() @Min(-5) @Max(5) small!: number;
  @IsPositive() pos!: number;
  @IsNegative() neg!: number;
  @IsOptional() @IsInt({ each: true }) ints?: number[];
}

class Strings {
  @IsString() s!: string;
  @MinLength(2) min!: string;
  @MaxLength(3) max!: string;
  @Length(1, 3) len!: string;
  @IsNotEmpty() ne!: string;
  @IsEmpty() empty?: string;
  @Matches(/^[a-c]+$/) m!: string;
  @Matches("^x", "i") mi!: string;
  @IsEmail() email!: string;
  @IsUUID("4") uuid!: string;
  @IsOptional() @IsString({ each: true }) @ArrayMaxSize(3) tags?: string[];
}

class Choices {
  @IsIn(["a", 1, null]) inn!: unknown;
  @IsNotIn([0, "x"]) notIn!: unknown;
  @IsEnum(Color) color!: Color;
  @IsEnum(Level) level!: Level;
  @Equals("yes") eq!: string;
  @NotEquals(0) neq!: unknown;
  @IsBoolean() flag!: boolean;
  @IsDefined() def!: unknown;
  @IsObject() obj!: object;
  @IsArray() @ArrayMinSize(1) @ArrayMaxSize(3) arr!: unknown[];
  @ArrayNotEmpty() ane!: unknown[];
  @Type(() => Date) @IsDate() date!: Date;
  @ValidateIf((o: Choices) => o.flag === true) @IsString() whenFlag?: string;
}

class Leaf {
  @IsString() @MaxLength(5) name!: string;
  @IsOptional() @IsInt() @Min(0) qty?: number;
}

class TreeNode {
  @IsString() id!: string;
  @ValidateNested() @Type(() => Leaf) leaf!: Leaf;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Leaf) leaves?: Leaf[];
  @IsOptional() @ValidateNested() @Type(() => TreeNode) next?: TreeNode;
  @IsOptional() @ValidateNested() loose?: object;
  @IsDefined() @IsArray() @ArrayNotEmpty() @ValidateNested({ each: true }) @Type(() => Leaf) list!: Leaf[];
}

class BaseMessages {
  @IsInt({ message: "$property: want an int, got $value" }) id!: number;
  @IsString() name!: string;
}

class Messages extends BaseMessages {
  @Min(10, { message: (args) => `${args.property} >= ${String(args.constraints[0])} on ${args.targetName}` })
  declare id: number;
  @Length(2, 4, { each: true }) words!: string[];
}

type Gen = () => unknown;

function generators(seed: number) {
  const r = seededRandom(seed);
  const int = (lo: number, hi: number): number => lo + Math.floor(r() * (hi - lo + 1));
  const pick = <T>(items: readonly T[]): T => items[Math.floor(r() * items.length)];
  const chance = (p: number): boolean => r() < p;
  const words = [
    "", "a", "ab", "abc", "abcd", "abcdef", "x", "Xyz", "ABC", "cab", "red", "blue", "Red", "Low", "yes", "no",
    "😀", "😀😀", "a\uFE0F", "a\uFE0Fb", "a@b.co", "x@", "@b.co", "first.last@example.com", "0", "1", "2020-01-02",
    "123e4567-e89b-42d3-a456-426614174000", "123e4567-e89b-12d3-a456-426614174000", "not-a-uuid",
  ] as const;
  const text: Gen = () =>
    chance(0.7) ? pick(words) : Array.from({ length: int(0, 6) }, () => pick(["a", "b", "c", "x", "Z", "0", " ", "😀", "\uFE0F", "@", "."])).join("");
  const num: Gen = () =>
    pick<Gen>([
      () => int(-10, 10),
      () => (r() - 0.5) * 200,
      () => int(-1000, 1000) / 100,
      () => int(-100000, 100000) / 1000,
      () => pick([NaN, Infinity, -Infinity, -0, 0, 1e21, Number.MAX_SAFE_INTEGER, 0.1, 1e-7]),
    ])();
  const primitive: Gen = () =>
    pick<Gen>([() => undefined, () => null, () => chance(0.5), num, num, text, text, () => pick([0, 1, "x", "a", "yes"])])();
  const any = (depth = 0): unknown => {
    if (depth > 2 || chance(0.6)) return primitive();
    if (chance(0.5)) return Array.from({ length: int(0, 3) }, () => any(depth + 1));
    if (chance(0.1)) return new Date(pick([0, NaN, 1e12]));
    const out: Record<string, unknown> = {};
    for (let i = int(0, 3); i > 0; i--) out[pick(["a", "name", "qty", "id", "x", "toString", "constructor"])] = any(depth + 1);
    return out;
  };
  const arrayOf = (gen: Gen, max = 4): unknown[] => Array.from({ length: int(0, max) }, () => (chance(0.85) ? gen() : any(1)));
  const leaf: Gen = () => ({
    name: chance(0.95) ? pick(["a", "leaf", "tiny"]) : pick(["toolong", 1, null]),
    ...(chance(0.5) ? { qty: chance(0.95) ? int(0, 5) : pick([-1, 1.5, "1"]) } : {}),
  });
  return { r, int, pick, chance, text, num, any, arrayOf, leaf };
}

interface Case {
  dto: Constructor;
  /** A mostly-valid generator per property; each is replaced by noise or omitted at random. */
  fields: (g: ReturnType<typeof generators>) => Record<string, Gen>;
  /** Constraint types the run must have seen fail at least once (coverage of the compiled rules). */
  covers: string[];
  /** Share of properties replaced by random noise (default 0.2). */
  noise?: number;
}

const cases: Case[] = [
  {
    dto: Numbers,
    fields: (g) => ({
      n: () => (g.r() - 0.5) * 1000,
      loose: () => g.pick([NaN, Infinity, -Infinity, 1.5]),
      money: () => g.int(-10000, 10000) / 100,
      small: () => g.int(-5, 5),
      pos: () => g.r() * 10 + 0.01,
      neg: () => -(g.r() * 10 + 0.01),
      ints: () => g.arrayOf(() => g.int(-3, 3)),
    }),
    covers: ["isNumber", "isInt", "min", "max", "isPositive", "isNegative"],
  },
  {
    dto: Strings,
    fields: (g) => ({
      s: g.text,
      min: () => g.pick(["ab", "abc", "😀😀", "hello"]),
      max: () => g.pick(["", "a", "abc", "😀😀😀"]),
      len: () => g.pick(["a", "ab", "abc"]),
      ne: () => g.pick(["a", " ", "x"]),
      empty: () => g.pick(["", null, undefined]),
      m: () => g.pick(["a", "abc", "cab"]),
      mi: () => g.pick(["x", "Xyz", "xx"]),
      email: () => g.pick(["a@b.co", "first.last@example.com"]),
      uuid: () => "123e4567-e89b-42d3-a456-426614174000",
      tags: () => g.arrayOf(g.text, 4),
    }),
    covers: ["isString", "minLength", "maxLength", "isLength", "isNotEmpty", "isEmpty", "matches", "isEmail", "isUuid", "arrayMaxSize"],
  },
  {
    dto: Choices,
    fields: (g) => ({
      inn: () => g.pick(["a", 1, null]),
      notIn: () => g.pick([1, "y", null]),
      color: () => g.pick(["red", "blue"]),
      level: () => g.pick([0, 1, "Low"]),
      eq: () => "yes",
      neq: () => g.pick([1, "0", null]),
      flag: () => g.chance(0.5),
      def: () => g.pick([0, "", false, {}]),
      obj: () => ({ a: g.any(1) }),
      arr: () => g.arrayOf(() => g.any(1), 3),
      ane: () => [g.any(1)],
      date: () => g.pick(["2020-01-02T03:04:05Z", 0, "nope", null]),
      whenFlag: g.text,
    }),
    covers: ["isIn", "isNotIn", "isEnum", "equals", "notEquals", "isBoolean", "isDefined", "isObject", "isArray", "arrayMinSize", "arrayMaxSize", "arrayNotEmpty", "isDate", "isString"],
  },
  {
    dto: TreeNode,
    fields: (g) => ({
      id: g.text,
      leaf: g.leaf,
      leaves: () => g.arrayOf(g.leaf),
      next: () => ({ id: "n", leaf: g.leaf(), list: [g.leaf()], ...(g.chance(0.3) ? { next: { id: 1 } } : {}) }),
      loose: () => (g.chance(0.8) ? g.pick([[], null]) : g.pick([{ a: 1 }, [{ a: 1 }], "x", [1]])),
      list: () => (g.chance(0.9) ? [g.leaf(), ...g.arrayOf(g.leaf, 2)] : g.arrayOf(g.leaf, 2)),
    }),
    covers: ["isString", "maxLength", "isInt", "min", "nestedValidation", "unknownValue", "isDefined", "isArray", "arrayNotEmpty"],
    noise: 0.1,
  },
  {
    dto: Messages,
    fields: (g) => ({
      id: () => g.int(5, 20),
      name: g.text,
      words: () => g.arrayOf(() => g.pick(["ab", "abcd", "a", "abcde"])),
    }),
    // No "isInt": Messages' own @Min on `id` hides the inherited @IsInt (class-validator
    // drops inherited rules of the same type on the same property), and we must agree.
    covers: ["min", "isString", "isLength"],
  },
];

// DIFF_SEED / DIFF_INPUTS explore further than the default run (e.g. DIFF_INPUTS=50000).
const INPUTS_PER_CASE = Number(process.env.DIFF_INPUTS ?? 1500);
const SEED = Number(process.env.DIFF_SEED ?? 0xc0ffee);

function randomInput(g: ReturnType<typeof generators>, fields: Record<string, Gen>, noise: number): unknown {
  if (g.chance(0.02)) return g.pick([null, undefined, 5, "params", [], [{}]]);
  const input: Record<string, unknown> = {};
  for (const [key, gen] of Object.entries(fields)) {
    const roll = g.r();
    if (roll < 0.05) continue; // missing
    input[key] = roll < 1 - noise ? gen() : g.any();
  }
  if (g.chance(0.1)) input[g.pick(["extra", "toString", "constructor", "hasOwnProperty"])] = g.any();
  // Half the time, the params arrive the way a transporter delivers them.
  if (g.chance(0.5)) {
    const json = JSON.stringify(input);
    return JSON.parse(g.chance(0.05) ? json.replace(/^\{/, '{"__proto__":{"polluted":1},') : json) as unknown;
  }
  return input;
}

describe("differential: compiled check vs plainToInstance + validateSync", () => {
  it.each(cases.map((c, i) => [c.dto.name, c, i] as const))("%s", (_name, testCase, index) => {
    expectCompiled(testCase.dto);
    const check = compileCheck(testCase.dto);
    const g = generators(SEED + index);
    const fields = testCase.fields(g);
    const seen = new Set<string>();
    let passed = 0;
    for (let i = 0; i < INPUTS_PER_CASE; i++) {
      const input = randomInput(g, fields, testCase.noise ?? 0.2);
      const got = summary(run(check, input));
      const want = summary(reference(testCase.dto, input));
      if (!isDeepStrictEqual(got, want)) {
        throw new Error(
          `input #${i} ${inspect(input, { depth: 6 })}\ncompiled: ${inspect(got, { depth: 8 })}\nclass-validator: ${inspect(want, { depth: 8 })}`,
        );
      }
      const outcome = got as { ok?: boolean; fields?: string[] };
      if (outcome.ok) passed++;
      for (const f of outcome.fields ?? []) seen.add(f.split("|")[1]);
    }
    if (process.env.DIFF_STATS) console.log(`${testCase.dto.name}: ${passed}/${INPUTS_PER_CASE} valid`);
    // The generators must actually reach both outcomes and every rule under test.
    expect(passed).toBeGreaterThan(INPUTS_PER_CASE * 0.01);
    expect(testCase.covers.filter((type) => !seen.has(type))).toEqual([]);
  });
});
