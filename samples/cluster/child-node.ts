/* eslint-disable no-console -- a sample prints what it does */
import { ChildProcess, spawn } from "node:child_process";
import { resolve } from "node:path";
import { createInterface } from "node:readline";

const REPO_ROOT = resolve(__dirname, "../..");

/** Children still running: killed if main.ts dies, so a failed run never leaves nodes behind. */
const running = new Set<ChildProcess>();
process.on("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * A cluster node in its own process (`node -r @swc-node/register <script>`).
 * Its stdout lines are relayed as `  [nodeID] …` and kept, so main.ts can
 * wait for what the node reports.
 */
export class ChildNode {
  readonly lines: string[] = [];
  private readonly exited: Promise<number | null>;

  private constructor(
    readonly nodeID: string,
    private readonly child: ChildProcess,
  ) {
    running.add(child);
    createInterface({ input: child.stdout! }).on("line", (line) => {
      this.lines.push(line);
      console.log(`  [${nodeID}] ${line === "READY" ? "started" : line}`);
    });
    this.exited = new Promise((done) =>
      child.once("exit", (code) => {
        running.delete(child);
        done(code);
      }),
    );
  }

  static start(script: string, nodeID: string, env: Record<string, string>): ChildNode {
    const child = spawn(process.execPath, ["-r", "@swc-node/register", resolve(__dirname, script)], {
      cwd: REPO_ROOT, // where tsconfig.json (decorators, the `nucleon` path) is found
      env: { ...process.env, ...env, NODE_ID: nodeID },
      stdio: ["ignore", "pipe", "inherit"],
    });
    return new ChildNode(nodeID, child);
  }

  /** Resolves on the node's READY line; fails if it exits first or takes too long. */
  async ready(timeoutMs: number): Promise<void> {
    const isReady = () => this.lines.includes("READY");
    await until(() => isReady() || !running.has(this.child), timeoutMs, `${this.nodeID} to start`);
    if (!isReady()) throw new Error(`${this.nodeID} exited (${await this.exited}) before it was ready`);
  }

  /** SIGTERM (the node stops its broker and exits), SIGKILL if it takes longer than `timeoutMs`. */
  async stop(timeoutMs: number): Promise<number | null> {
    if (!running.has(this.child)) return this.exited;
    this.child.kill("SIGTERM");
    const timer = setTimeout(() => this.child.kill("SIGKILL"), timeoutMs);
    const code = await this.exited;
    clearTimeout(timer);
    return code;
  }
}

/** How many relayed lines across `nodes` match. */
export function countLines(nodes: ChildNode[], match: (line: string) => boolean): number {
  return nodes.reduce((n, node) => n + node.lines.filter(match).length, 0);
}

/** Polls until `check` holds; every wait in the sample is bounded. */
export async function until(check: () => boolean | Promise<boolean>, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
