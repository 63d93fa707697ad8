import { EventEmitter } from "node:events";
import { join } from "node:path";
import { brokerOptions, DEFAULT_MASK, loadEnvFiles, RunnerError, startRunner, type RunnerArgs, type RunnerDeps, type RunningNode } from "../../../lib/cli/runner";

const FIXTURES = join(__dirname, "fixtures");

const args = (over: Partial<RunnerArgs> = {}): RunnerArgs => ({
  paths: [FIXTURES],
  repl: false,
  hot: false,
  silent: true,
  env: false,
  mask: DEFAULT_MASK,
  ...over,
});

function deps(over: Partial<RunnerDeps> = {}) {
  const exits: number[] = [];
  let exited!: (code: number) => void;
  const exit = new Promise<number>((r) => (exited = r));
  const d: RunnerDeps = {
    cwd: FIXTURES,
    env: {},
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
    log: () => undefined,
    loadRepl: () => {
      throw new Error("no REPL expected");
    },
    signals: new EventEmitter(),
    ...over,
  };
  return { d, exits, exit };
}

let node: RunningNode | undefined;
afterEach(async () => {
  await node?.dispose();
  await node?.broker.stop();
  node = undefined;
});

describe("startRunner (in process)", () => {
  it("starts the services of the given folder, without loading the REPL unless asked", async () => {
    const { d } = deps();
    node = await startRunner(args(), d);
    expect(node.broker.started).toBe(true);
    expect(await node.broker.call("echo.say", { text: "hi" })).toBe("hi");
  });

  it("--repl: hands the started broker to the REPL, and stops it gracefully (exit 0) when the REPL closes", async () => {
    let close!: () => void;
    const startRepl = jest.fn(() => ({ closed: new Promise<void>((r) => (close = r)) }));
    const { d, exit } = deps({ loadRepl: () => ({ startRepl }) });
    node = await startRunner(args({ repl: true }), d);
    expect(startRepl).toHaveBeenCalledWith(node.broker);
    expect(node.broker.started).toBe(true);
    close();
    expect(await exit).toBe(0);
    expect(node.broker.started).toBe(false);
  });

  it("stops the started broker again when a step after the start fails (the REPL does not load)", async () => {
    let seen: { started: boolean } | undefined;
    const { d } = deps({
      loadRepl: () => ({
        startRepl: (broker) => {
          seen = broker;
          throw new Error("no terminal");
        },
      }),
    });
    await expect(startRunner(args({ repl: true }), d)).rejects.toThrow("no terminal");
    expect(seen?.started).toBe(false);
  });

  it("a stop signal stops the broker, then exits 0", async () => {
    const signals = new EventEmitter();
    const { d, exit } = deps({ signals });
    node = await startRunner(args(), d);
    signals.emit("SIGTERM");
    expect(await exit).toBe(0);
    expect(node.broker.started).toBe(false);
  });
});

describe("brokerOptions", () => {
  it("applies the environment over the config file and --silent over both", async () => {
    const options = await brokerOptions(args({ config: "config.json" }), { cwd: FIXTURES, env: { NODEID: "from-env" } });
    expect(options).toEqual({ nodeID: "from-env", namespace: "fixture", logger: false });
  });

  it("suffixes a worker's nodeID with its number: the configured one, or the default", async () => {
    expect((await brokerOptions(args({ silent: false }), { cwd: FIXTURES, env: { NODEID: "api" }, workerIndex: 2 })).nodeID).toBe("api-2");
    expect((await brokerOptions(args(), { cwd: FIXTURES, env: {}, workerIndex: 1 })).nodeID).toMatch(new RegExp(`-${process.pid}-1$`));
  });
});

describe("loadEnvFiles", () => {
  it("refuses a missing --envfile; a missing .env is no error for --env", () => {
    expect(() => loadEnvFiles({ env: false, envfile: "nope.env" }, FIXTURES, {})).toThrow(new RunnerError(`Env file not found: ${join(FIXTURES, "nope.env")}`));
    const env: Record<string, string> = {};
    loadEnvFiles({ env: true }, FIXTURES, env);
    expect(env).toEqual({});
  });
});
