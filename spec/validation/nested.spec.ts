import { Type } from "class-transformer";
import {
  ArrayMinSize,
  IsArray,
  IsDefined,
  IsIn,
  IsOptional,
  IsString,
  Min,
  ValidateIf,
  ValidateNested,
} from "class-validator";
import { compileCheck, expectCompiled, failures, reference, run, summary } from "./support";

class Address {
  @IsString() city!: string;
  @IsOptional() @Min(1000) zip?: number;
}

class Item {
  @IsString() name!: string;
  @Min(1) qty!: number;
}

class Order {
  @ValidateNested() @Type(() => Address) address!: Address;
  @IsArray() @ArrayMinSize(1) @ValidateNested({ each: true }) @Type(() => Item) items!: Item[];
  @IsOptional() @ValidateNested() @Type(() => Address) billing?: Address;
  @ValidateNested({ each: true }) @Type(() => Item) grid?: Item[][];
  /** No @Type: class-validator sees a plain object it has no rules for. */
  @IsOptional() @ValidateNested() untyped?: object;
}

class Tree {
  @IsString() label!: string;
  @IsOptional() @ValidateNested({ each: true }) @Type(() => Tree) children?: Tree[];
}

class Payment {
  @IsIn(["card", "cash"]) method!: string;
  @ValidateIf((o: Payment) => o.method === "card") @IsString() @IsDefined() card?: string;
}

const valid = { address: { city: "Oslo" }, items: [{ name: "pen", qty: 1 }] };

function expectSameAsClassValidator(dto: Function, input: unknown): void {
  const check = compileCheck(dto as new () => object);
  expect(summary(run(check, input))).toEqual(summary(reference(dto as new () => object, input)));
}

describe("nested DTOs", () => {
  const check = compileCheck(Order);

  it("compiles the whole graph", () => {
    expectCompiled(Order);
    expectCompiled(Tree);
    expectCompiled(Payment);
  });

  it("accepts a valid order and builds nested instances", () => {
    const order = check(valid) as Order;
    expect(order.address).toBeInstanceOf(Address);
    expect(order.items[0]).toBeInstanceOf(Item);
  });

  it("reports nested paths: object.prop and array.index.prop", () => {
    const input = { address: { city: 7, zip: 5 }, items: [{ name: "a", qty: 1 }, { name: 2, qty: 0 }] };
    expect(failures(check, input).map((f) => `${f.field}|${f.type}`)).toEqual([
      "address.city|isString",
      "address.zip|min",
      "items.1.name|isString",
      "items.1.qty|min",
    ]);
    expectSameAsClassValidator(Order, input);
  });

  it("reports a primitive where an object is expected, with class-validator's message", () => {
    const input = { address: "Oslo", items: [{ name: "a", qty: 1 }, 3, null] };
    expect(failures(check, input)).toEqual([
      { field: "address", type: "nestedValidation", message: "nested property address must be either object or array", actual: "Oslo" },
      { field: "items.1", type: "nestedValidation", message: "each value in nested property items must be either object or array", actual: 3 },
      { field: "items.2", type: "nestedValidation", message: "each value in nested property items must be either object or array", actual: null },
    ]);
    expectSameAsClassValidator(Order, input);
  });

  it("skips an undefined nested value but not null; IsOptional skips both", () => {
    expect(failures(check, { items: [{ name: "a", qty: 1 }] })).toEqual([]);
    expect(failures(check, { ...valid, address: null }).map((f) => f.field)).toEqual(["address"]);
    expect(failures(check, { ...valid, billing: null })).toEqual([]);
    expectSameAsClassValidator(Order, { items: [{ name: "a", qty: 1 }] });
    expectSameAsClassValidator(Order, { ...valid, address: null, billing: null });
  });

  it("validates arrays of arrays with index paths", () => {
    const input = { ...valid, grid: [[{ name: "a", qty: 1 }], [{ name: "b", qty: 1 }, { name: 1, qty: 1 }, "x"]] };
    expect(failures(check, input).map((f) => `${f.field}|${f.type}`)).toEqual([
      "grid.1.1.name|isString",
      "grid.1.2|nestedValidation",
    ]);
    expectSameAsClassValidator(Order, input);
  });

  it("reports unknownValue for a nested plain object without @Type (forbidUnknownValues default)", () => {
    const input = { ...valid, untyped: { a: 1 } };
    expect(failures(check, input)).toEqual([
      { field: "untyped", type: "unknownValue", message: "an unknown value was passed to the validate function", actual: undefined },
    ]);
    expectSameAsClassValidator(Order, input);
  });

  it("handles recursive DTOs", () => {
    const tree = compileCheck(Tree);
    const input = { label: "root", children: [{ label: "a", children: [{ label: 1 }] }, { label: "b", children: [] }] };
    expect(failures(tree, input).map((f) => `${f.field}|${f.type}`)).toEqual(["children.0.children.0.label|isString"]);
    expectSameAsClassValidator(Tree, input);
    expect((tree({ label: "r", children: [{ label: "c" }] }) as Tree).children![0]).toBeInstanceOf(Tree);
  });

  it("runs ValidateIf conditions against the instance", () => {
    const pay = compileCheck(Payment);
    expect(failures(pay, { method: "cash" })).toEqual([]);
    expect(failures(pay, { method: "card" }).map((f) => f.type)).toEqual(["isDefined", "isString"]);
    for (const input of [{ method: "card", card: 5 }, { method: "cash", card: 5 }, { method: "x" }, {}]) {
      expectSameAsClassValidator(Payment, input);
    }
  });
});
