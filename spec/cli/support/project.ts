import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { spawn } from "node:child_process";
import { NodeProcess, REPO_ROOT, waitUntil } from "../../integration/support/node-process";

export const BIN = resolve(REPO_ROOT, "bin/nucleon.js");

/**
 * A throwaway project folder, as a user would have one: a tsconfig (the
 * repo's, so `import … from "nucleon"` resolves to lib/ and decorators emit
 * metadata), a config, service files.
 */
export class TempProject {
  readonly dir: string;

  constructor(prefix: string) {
    this.dir = mkdtempSync(join(tmpdir(), `nucleon-${prefix}-`));
    this.write("tsconfig.json", JSON.stringify({ extends: join(REPO_ROOT, "tsconfig.json"), include: ["**/*.ts"] }));
  }

  path(file: string): string {
    return join(this.dir, file);
  }

  write(file: string, content: string): string {
    const path = this.path(file);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    return path;
  }

  /** Runs `node bin/nucleon.js …args` in this folder, with `env` added to the test's environment. */
  run(name: string, args: string[], env: Record<string, string> = {}, stdin: "ignore" | "pipe" = "ignore"): NodeProcess {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: this.dir,
      env: { ...process.env, ...env },
      stdio: [stdin, "pipe", "pipe"],
    });
    return new NodeProcess(name, child);
  }

  remove(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Pino lines a runner printed, parsed (other output skipped). */
export interface LogLine {
  level: number;
  msg: string;
  nodeID?: string;
  [key: string]: unknown;
}

/**
 * A caller service for a second runner: once started (and once `CALL_NODES`
 * nodes offer the service), it calls `CALL_ACTION` `CALL_COUNT` times, `CALL_INTERVAL_MS` apart (bounded), and prints one
 * JSON line per call (`{"call":i,"ok":…}`), then `CALLS DONE`.
 */
export const CALLER_SERVICE = `
import { Service, ServiceBroker } from "nucleon";

@Service({ name: "caller" })
export class CallerService {
  constructor(private readonly broker: ServiceBroker) {}

  started(): void {
    void this.loop();
  }

  private async loop(): Promise<void> {
    const action = process.env.CALL_ACTION!;
    const count = Number(process.env.CALL_COUNT ?? "1");
    const interval = Number(process.env.CALL_INTERVAL_MS ?? "0");
    const params = JSON.parse(process.env.CALL_PARAMS ?? "{}");
    const service = action.split(".").slice(0, -1).join(".");
    await this.broker.waitForServices(service, 15000);
    // CALL_NODES: wait (bounded) until that many nodes offer the service, so balancing sees them all.
    const nodes = Number(process.env.CALL_NODES ?? "1");
    for (let waited = 0; waited < 15000; waited += 20) {
      if (this.broker.registry.getServices().filter((s) => s.fullName === service).length >= nodes) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    for (let i = 0; i < count; i++) {
      // A stopping caller ends its loop; the call in flight is drained by the stop.
      if (this.broker.stopping) break;
      try {
        const result = await this.broker.call(action, params);
        process.stdout.write(JSON.stringify({ call: i, ok: true, result }) + "\\n");
      } catch (err) {
        process.stdout.write(JSON.stringify({ call: i, ok: false, error: String(err) }) + "\\n");
      }
      if (interval > 0) await new Promise((r) => setTimeout(r, interval));
    }
    process.stdout.write("CALLS DONE\\n");
  }
}
`;

export interface CallLine {
  call: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/** The caller's per-call lines. */
export function callLines(proc: NodeProcess): CallLine[] {
  return proc.json<CallLine>().filter((l) => typeof l.call === "number");
}

/** Waits (bounded) for `check` to hold on the process's output; fails early, with its stderr, if the process exits first. */
export async function waitOutput(proc: NodeProcess, check: () => boolean, timeoutMs: number, label: string): Promise<void> {
  await waitUntil(() => check() || !proc.running, timeoutMs, () => `${label} from ${proc.name}:\n${[...proc.lines, ...proc.errLines].join("\n")}`);
  if (!check()) throw new Error(`${proc.name} exited (${proc.exitCode ?? proc.signal}) before ${label}:\n${[...proc.lines, ...proc.errLines].join("\n")}`);
}

/** Pino lines on stdout. */
export function logLines(proc: NodeProcess): LogLine[] {
  return proc.json<LogLine>().filter((l) => typeof l.msg === "string");
}

/** Resolves once the node logged "ServiceBroker started". */
export function started(proc: NodeProcess, timeoutMs = 15_000): Promise<void> {
  return waitOutput(proc, () => logLines(proc).some((l) => l.msg === "ServiceBroker started"), timeoutMs, "ServiceBroker started");
}
