import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Action, Event, Service, ServiceBroker } from "nucleon";
import { describeError } from "../../../lib/cli/repl/session";
import { NucleonError } from "../../../lib/errors";
import { ReplDriver } from "./repl-driver";

@Service({ name: "math" })
class MathService {
  @Action()
  async add(params: { a: number; b: number }): Promise<number> {
    return params.a + params.b;
  }

  @Action()
  async mul(params: { a: number; b: number }): Promise<number> {
    return params.a * params.b;
  }

  @Action()
  async explode(): Promise<never> {
    throw new Error("kaboom");
  }

  @Event("math.reset")
  async onReset(): Promise<void> {}
}

describe("REPL session", () => {
  let broker: ServiceBroker;
  let repl: ReplDriver;
  let dir: string;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), "nucleon-repl-"));
    broker = new ServiceBroker({ nodeID: "repl-spec", logger: false });
    broker.register(MathService);
    await broker.start();
  });

  afterEach(async () => {
    await repl?.close();
    await broker.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  describe("bad input prints one readable line and the prompt stays", () => {
    beforeEach(() => {
      repl = new ReplDriver(broker);
    });

    it.each([
      ["an unknown command", "frobnicate", "✖ Unknown command 'frobnicate'. Type 'help' for the list."],
      ["invalid JSON params", 'call math.add {"a": 1,', "✖ Invalid JSON params: "],
      ["an unknown action", "call nope.nothing", "✖ ServiceNotFoundError: Service 'nope.nothing' is not found. [SERVICE_NOT_FOUND]"],
      ["an action that throws", "call math.explode", "✖ Error: kaboom"],
      ["dcall to an unknown node", "dcall ghost math.add --a 1", "✖ Node 'ghost' is not in the cluster (known: repl-spec)."],
      ["a missing argument", "call", "✖ Usage: call <action>"],
      ["an unclosed quote", "call math.add --name 'Ann", "✖ Unclosed ' quote."],
      ["a bad --num", "bench math.add --num many", "✖ --num needs a positive number; got 'many'."],
      ["a --time with no value", "bench math.add --time", "✖ --time needs a positive number; got 'true'."],
      ["cache without a cacher", "cache keys", "✖ No cacher is configured on this broker"],
      ["an unknown listener subcommand", "listener nope", "✖ Usage: listener add <event>"],
    ])("%s", async (_case, line, message) => {
      const printed = await repl.run(line);
      const errors = printed.split("\n").filter((l) => l.startsWith("✖"));
      expect(errors).toHaveLength(1);
      expect(errors[0]).toContain(message);
      // The prompt is back and works.
      expect(await repl.run("call math.add --a 2 --b 3")).toContain("\n5\n");
    });
  });

  it("runs lines that arrive together one at a time, in order", async () => {
    repl = new ReplDriver(broker);
    await repl.waitFor((p) => p.endsWith("nucleon $ "));
    repl.input.write("call math.add --a 1 --b 1\ncall math.mul --a 3 --b 3\ncall math.add --a 10 --b 10\n");
    await repl.waitFor((p) => (p.match(/Execution time/g) ?? []).length === 3);
    const results = repl.printed.split("\n").filter((l) => /^\d+$/.test(l));
    expect(results).toEqual(["2", "9", "20"]);
  });

  it("help lists every command and shows one command's usage", async () => {
    repl = new ReplDriver(broker);
    const all = await repl.run("help");
    for (const name of ["actions", "services", "events", "nodes", "info", "env", "call", "dcall", "emit", "broadcast", "broadcastLocal", "bench", "cache", "listener", "clear", "help", "exit"]) {
      expect(all).toMatch(new RegExp(`^${name}\\b`, "m"));
    }
    expect(await repl.run("help dcall")).toContain("dcall <nodeID> <action>");
  });

  it("exit resolves `closed`; the broker keeps running", async () => {
    repl = new ReplDriver(broker);
    await repl.waitFor((p) => p.endsWith("nucleon $ "));
    repl.input.write("exit\n");
    await repl.handle.closed;
    expect(broker.started).toBe(true);
  });

  it("the end of input closes it after the queued commands ran", async () => {
    repl = new ReplDriver(broker);
    repl.input.end("call math.add --a 20 --b 22\n");
    await repl.handle.closed;
    expect(repl.printed).toContain("\n42\n");
  });

  it("completes commands, action names, event names, node IDs and subcommands", async () => {
    repl = new ReplDriver(broker);
    const { complete } = repl.handle;
    expect(await complete("ca")).toEqual([["cache", "call"], "ca"]);
    expect(await complete("call math.")).toEqual([["math.add", "math.explode", "math.mul"], "math."]);
    expect(await complete("bench math.m")).toEqual([["math.mul"], "math.m"]);
    expect(await complete("emit math.")).toEqual([["math.reset"], "math."]);
    expect(await complete("dcall repl")).toEqual([["repl-spec"], "repl"]);
    expect(await complete("dcall repl-spec math.a")).toEqual([["math.add"], "math.a"]);
    expect(await complete("cache c")).toEqual([["clear"], "c"]);
    expect(await complete("listener a")).toEqual([["add"], "a"]);
    expect(await complete("listener add math.r")).toEqual([["math.reset"], "math.r"]);
    expect(await complete("call math.add --a")).toEqual([[], "--a"]);
  });

  it("Tab on a terminal completes the line through node:repl", async () => {
    repl = new ReplDriver(broker, { terminal: true });
    await repl.waitFor((p) => p.includes("nucleon $ "));
    repl.input.write("call math.ad\t");
    await repl.waitFor((p) => p.includes("call math.add"));
    repl.input.write(" --a 4 --b 5\r");
    await repl.waitFor((p) => p.includes("\n9"));
  });

  it("saves history to a file, and loads it back for the up arrow", async () => {
    const historyFile = join(dir, "history");
    repl = new ReplDriver(broker, { historyFile });
    await repl.run("call math.add --a 1 --b 2");
    await repl.run("call math.add --a 1 --b 2");
    await repl.run("nodes");
    await repl.run("bogus");
    expect(readFileSync(historyFile, "utf8")).toBe("call math.add --a 1 --b 2\nnodes\nbogus\n");
    await repl.close();

    repl = new ReplDriver(broker, { historyFile, terminal: true });
    await repl.waitFor((p) => p.includes("nucleon $ "));
    repl.input.write("\x1b[A\x1b[A");
    await repl.waitFor((p) => p.endsWith("nodes"));
  });

  it("keeps only historySize lines", async () => {
    const historyFile = join(dir, "history");
    writeFileSync(historyFile, "one\ntwo\nthree\n");
    repl = new ReplDriver(broker, { historyFile, historySize: 2 });
    await repl.run("info");
    expect(readFileSync(historyFile, "utf8")).toBe("two\nthree\ninfo\n");
  });

  it("colours only when asked or on a TTY", async () => {
    repl = new ReplDriver(broker);
    await repl.run("nodes");
    const plain = (repl as unknown as { text: string }).text;
    expect(plain).not.toContain("\x1b[");
    await repl.close();
    repl = new ReplDriver(broker, { colors: true });
    await repl.run("nodes");
    expect((repl as unknown as { text: string }).text).toContain("\x1b[1m");
  });

  it("describes any thrown value in one line", () => {
    expect(describeError(new NucleonError("bad\nsecond line", 500, "BAD"))).toBe("NucleonError: bad [BAD]");
    expect(describeError("a string")).toBe("Thrown: a string");
  });
});

describe('startRepl from "nucleon"', () => {
  it("is part of the public API", () => {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    expect(typeof (require("nucleon") as Record<string, unknown>).startRepl).toBe("function");
  });
});
