import { availableParallelism } from "node:os";
import { createProgram, DEFAULT_MASK, parseArgs } from "../../../lib/cli/runner";

/** A program that throws instead of exiting, and keeps its output. */
function program() {
  const out: string[] = [];
  const p = createProgram()
    .exitOverride()
    .configureOutput({ writeOut: (s) => out.push(s), writeErr: (s) => out.push(s) });
  return { p, out };
}

describe("parseArgs", () => {
  it("has Moleculer runner's defaults", () => {
    expect(parseArgs([], program().p)).toEqual({
      paths: [],
      config: undefined,
      repl: false,
      hot: false,
      silent: false,
      env: false,
      envfile: undefined,
      instances: undefined,
      mask: DEFAULT_MASK,
    });
  });

  it("reads every flag, long and short, with `start` optional before the paths", () => {
    const long = parseArgs(
      ["start", "services/", "extra.service.ts", "--config", "c.ts", "--repl", "--hot", "--silent", "--env", "--envfile", "x.env", "--instances", "3", "--mask", "**/*.svc.ts"],
      program().p,
    );
    expect(long).toEqual({
      paths: ["services/", "extra.service.ts"],
      config: "c.ts",
      repl: true,
      hot: true,
      silent: true,
      env: true,
      envfile: "x.env",
      instances: 3,
      mask: "**/*.svc.ts",
    });
    const short = parseArgs(["-c", "c.ts", "-r", "-H", "-s", "-e", "-E", "x.env", "-i", "3", "-m", "**/*.svc.ts", "services/", "extra.service.ts"], program().p);
    expect(short).toEqual(long);
  });

  it("takes `--instances max` as one worker per CPU", () => {
    expect(parseArgs(["-i", "max"], program().p).instances).toBe(availableParallelism());
  });

  it.each(["0", "-1", "two", "1.5"])("refuses --instances %s", (value) => {
    const { p, out } = program();
    expect(() => parseArgs(["--instances", value], p)).toThrow(/expected a positive integer or 'max'/);
    expect(out.join("")).toContain("Usage: nucleon [start] [options] [paths...]");
  });

  it("refuses an unknown flag with the usage", () => {
    const { p, out } = program();
    expect(() => parseArgs(["--hott"], p)).toThrow("error: unknown option '--hott'");
    expect(out.join("")).toContain("(Did you mean --hot?)");
  });
});
