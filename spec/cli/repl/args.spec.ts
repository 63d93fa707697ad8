import { callInput, parseArgs, ReplInputError, tokenize } from "../../../lib/cli/repl/args";
import { formatTable } from "../../../lib/cli/repl/table";
import { createStyle, stripAnsi } from "../../../lib/cli/repl/style";

describe("REPL argument parsing", () => {
  it("tokenize: quotes, escapes, bare JSON with spaces", () => {
    expect(tokenize(`call a.b {"x": [1, {"y": "} ]"}], "z": 2} --name "Jo \\"J\\" Smith" --t 'a b'`)).toEqual([
      "call",
      "a.b",
      `{"x": [1, {"y": "} ]"}], "z": 2}`,
      "--name",
      'Jo "J" Smith',
      "--t",
      "a b",
    ]);
    expect(tokenize("  nodes   ")).toEqual(["nodes"]);
    expect(tokenize(`call x '{"a": 1}'`)).toEqual(["call", "x", '{"a": 1}']);
    expect(() => tokenize(`call "x`)).toThrow(ReplInputError);
    // Unbalanced JSON keeps the rest of the line, so JSON.parse reports it.
    expect(tokenize(`call x {"a": 1`)).toEqual(["call", "x", `{"a": 1`]);
  });

  it("parseArgs: numbers, booleans, dotted keys; positionals stay strings; declared flags absent when not given", () => {
    const { positional, flags } = parseArgs(["007", "--a", "1", "--b.c.d", "x", "--ok", "false", "--on", "--load"], { string: ["load", "save"] });
    expect(positional).toEqual(["007"]);
    expect(flags).toEqual({ a: 1, b: { c: { d: "x" } }, ok: false, on: true, load: "" });
    expect("save" in flags).toBe(false);
  });

  it("callInput: JSON params or flags; # to meta, $ to options; reserved flags left out", () => {
    expect(callInput([], { a: 1, "#user": "u", $timeout: 50, load: "f" }, ["load"])).toEqual({ params: { a: 1 }, meta: { user: "u" }, options: { timeout: 50 } });
    expect(callInput(['{"a": 2}', '{"m": 1}'], { ignored: true }, [])).toEqual({ params: { a: 2 }, meta: { m: 1 }, options: {} });
    expect(() => callInput(["{"], {}, [])).toThrow(/^Invalid JSON params: /);
    expect(() => callInput(["{}", "[1]"], {}, [])).toThrow("Meta must be a JSON object.");
    expect(() => callInput(["{}", "{}", "extra"], {}, [])).toThrow("Unexpected argument 'extra'.");
  });

  it("formatTable pads by visible width, colour codes ignored", () => {
    const style = createStyle(true);
    const table = formatTable(["A", "Bee"], [[style.green("xx"), "1"], ["y", ""]], style);
    expect(stripAnsi(table).split("\n")).toEqual(["A   Bee", "──  ───", "xx  1", "y"]);
    expect(createStyle(false).red("plain")).toBe("plain");
  });
});
