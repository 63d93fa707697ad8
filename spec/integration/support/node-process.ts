import { ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

/** The repo root: children run from it so `@swc-node/register` finds tsconfig (paths, decorators). */
export const REPO_ROOT = resolve(__dirname, "../../..");

/** Every child still running, so a crashed or timed-out test never leaks processes. */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const child of live) child.kill("SIGKILL");
  });
}

/** Polls `check` until it holds; rejects after `timeoutMs` with `label` (every wait is bounded). */
export async function waitUntil(
  check: () => boolean,
  timeoutMs: number,
  label: string | (() => string),
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) {
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${typeof label === "string" ? label : label()}`);
    }
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

/** A child process whose stdout/stderr lines are collected as they arrive. */
export class NodeProcess {
  readonly lines: string[] = [];
  readonly errLines: string[] = [];
  exitCode: number | null = null;
  signal: NodeJS.Signals | null = null;
  private readonly exited: Promise<void>;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
  ) {
    live.add(child);
    installExitHook();
    createInterface({ input: child.stdout! }).on("line", (line) => this.lines.push(line));
    createInterface({ input: child.stderr! }).on("line", (line) => this.errLines.push(line));
    this.exited = new Promise((done) => {
      child.once("exit", (code, signal) => {
        live.delete(child);
        this.exitCode = code;
        this.signal = signal;
        done();
      });
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === null && this.signal === null;
  }

  /** Parsed stdout lines that are JSON objects (other output is ignored). */
  json<T>(): T[] {
    const out: T[] = [];
    for (const line of this.lines) {
      if (!line.startsWith("{")) continue;
      try {
        out.push(JSON.parse(line) as T);
      } catch {
        // not one of ours
      }
    }
    return out;
  }

  waitForLine(line: string, timeoutMs: number): Promise<void> {
    return waitUntil(() => this.lines.includes(line) || !this.running, timeoutMs, `'${line}' from ${this.name}`).then(() => {
      if (!this.lines.includes(line)) {
        throw new Error(`${this.name} exited (${this.exitCode ?? this.signal}) before '${line}':\n${this.errLines.join("\n")}`);
      }
    });
  }

  /** Resolves when the process has exited; SIGKILLs it if it takes longer than `timeoutMs`. */
  async waitExit(timeoutMs: number): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const overdue = new Promise<void>((r) => (timer = setTimeout(r, timeoutMs)));
    await Promise.race([this.exited, overdue]);
    clearTimeout(timer);
    if (this.running) {
      this.child.kill("SIGKILL");
      await this.exited;
      throw new Error(`${this.name} did not exit within ${timeoutMs} ms; killed`);
    }
  }

  /** Sends `signal` (by pid) and waits for the exit. */
  async kill(signal: NodeJS.Signals, timeoutMs = 5000): Promise<void> {
    if (!this.running) return;
    try {
      process.kill(this.pid, signal);
    } catch {
      // already gone (ESRCH): the exit event follows
    }
    await this.waitExit(timeoutMs);
  }
}

/** Starts `node -r @swc-node/register <script>` from the repo root with `env` added. */
export function startNode(name: string, script: string, env: Record<string, string>): NodeProcess {
  const child = spawn(process.execPath, ["-r", "@swc-node/register", script], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new NodeProcess(name, child);
}

/** SIGKILLs every child of this test process still running (afterAll safety net). */
export async function killAll(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((done) => {
          if (child.exitCode !== null || child.signalCode !== null) return done();
          child.once("exit", () => done());
          try {
            if (child.pid !== undefined) process.kill(child.pid, "SIGKILL");
          } catch {
            done();
          }
        }),
    ),
  );
}
