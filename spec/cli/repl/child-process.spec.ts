import { type ChildProcessWithoutNullStreams, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stripAnsi } from "../../../lib/cli/repl/style";

/*
 * The REPL as a person meets it: a real process (a broker and `startRepl` on
 * stdin/stdout), typed at line by line. Once through pipes, once through a
 * pseudo-terminal made by util-linux's `script` (line editing, Tab, colours).
 */
const ROOT = join(__dirname, "..", "..", "..");
const FIXTURE = join(__dirname, "fixtures", "repl-main.ts");
const NODE_ARGS = ["-r", "@swc-node/register", FIXTURE];

class Child {
  raw = "";
  private waiters: Array<() => void> = [];
  readonly exited: Promise<number | null>;

  constructor(readonly proc: ChildProcessWithoutNullStreams) {
    proc.stdout.setEncoding("utf8");
    proc.stdout.on("data", (chunk: string) => this.feed(chunk));
    proc.stderr.setEncoding("utf8");
    proc.stderr.on("data", (chunk: string) => this.feed(chunk));
    this.exited = new Promise((resolve) => proc.once("exit", (code) => resolve(code)));
  }

  private feed(chunk: string): void {
    this.raw += chunk;
    for (const wake of this.waiters.splice(0)) wake();
  }

  /** What a person sees: colours and carriage returns removed. */
  get screen(): string {
    return stripAnsi(this.raw).replace(/\r/g, "");
  }

  waitFor(text: string, from = 0, timeout = 15000): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`'${text}' never showed; the screen:\n${this.screen}`)), timeout);
      const test = () => {
        if (this.screen.indexOf(text, from) >= 0) {
          clearTimeout(timer);
          resolve();
        } else this.waiters.push(test);
      };
      test();
    });
  }

  /** Types `keys` and waits for `expect` to show after them. */
  async type(keys: string, expect: string): Promise<void> {
    const mark = this.screen.length;
    this.proc.stdin.write(keys);
    await this.waitFor(expect, mark);
  }
}

describe("REPL in a child process", () => {
  let dir: string;
  let child: Child | undefined;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "nucleon-repl-child-"));
  });

  afterEach(async () => {
    if (child && child.proc.exitCode === null) {
      child.proc.kill();
      await child.exited;
    }
    child = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  const env = () => ({ ...process.env, REPL_HISTORY: join(dir, "history"), REPL_CWD: dir, FORCE_COLOR: undefined, NO_COLOR: undefined });

  it("through pipes: commands answer, bad input keeps the prompt, exit ends the process with 0", async () => {
    child = new Child(spawn(process.execPath, NODE_ARGS, { cwd: ROOT, env: env() }));
    await child.waitFor("nucleon $ ");
    await child.type("call greeter.hello --name John\n", "'Hello John'");
    await child.type("call greeter.fail\n", "✖ Error: greeter is grumpy");
    await child.type("frobnicate\n", "✖ Unknown command 'frobnicate'");
    await child.type("emit user.created --name Ann\n", "[handler] user.created Ann");
    await child.type("cache keys\n", "greeter.hello:John");
    await child.type("call greeter.hello --name Saved --save out.json\n", "Response saved to");
    child.proc.stdin.write("exit\n");
    expect(await child.exited).toBe(0);
    expect(child.screen).toContain("[main] bye");
    // Not a terminal: no colour codes at all.
    expect(child.raw).not.toContain("\x1b[");
    expect(JSON.parse(readFileSync(join(dir, "out.json"), "utf8"))).toBe("Hello Saved");
    expect(readFileSync(join(dir, "history"), "utf8").split("\n")).toEqual([
      "call greeter.hello --name John",
      "call greeter.fail",
      "frobnicate",
      "emit user.created --name Ann",
      "cache keys",
      "call greeter.hello --name Saved --save out.json",
      "exit",
      "",
    ]);
  });

  it("through a pseudo-terminal (script -qc): Tab completes, colours on, up arrow recalls", async () => {
    // util-linux's `script` is on every Debian (bsdutils, essential); without it this fails rather than skips.
    expect(() => execFileSync("script", ["--version"])).not.toThrow();
    const command = [process.execPath, ...NODE_ARGS].map((a) => `'${a}'`).join(" ");
    child = new Child(spawn("script", ["-qfec", command, "/dev/null"], { cwd: ROOT, env: env() }));
    await child.waitFor("nucleon $ ");
    // Tab completes the action name; the person then finishes the line.
    await child.type("call greeter.hel\t", "call greeter.hello");
    await child.type(" --name Pty\r", "'Hello Pty'");
    expect(child.raw).toContain("\x1b[33m>> Call 'greeter.hello'");
    await child.type("nodes\r", "repl-node");
    // Up twice: the call again.
    await child.type("\x1b[A\x1b[A\r", "Hello Pty");
    await child.type("dcall nowhere greeter.hello\r", "✖ Node 'nowhere' is not in the cluster");
    child.proc.stdin.write("exit\r");
    expect(await child.exited).toBe(0);
    expect(child.screen).toContain("[main] bye");
  });
});
