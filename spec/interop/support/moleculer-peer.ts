import { ChildProcessWithoutNullStreams, spawn } from "node:child_process";
import { join } from "node:path";
import { createInterface } from "node:readline";

/** The Moleculer peer script (plain CommonJS, run with `node`). */
export const PEER_SCRIPT = join(__dirname, "..", "peer", "moleculer-peer.js");

export type MoleculerPackage = "moleculer" | "moleculer-015";
export type SerializerName = "JSON" | "MsgPack";

export interface PeerOptions {
  nodeID: string;
  namespace: string;
  /** `nats://127.0.0.1:4222`, `redis://127.0.0.1:6379`, or `{ type, options }` as JSON. */
  transporter: string;
  serializer: SerializerName;
  moleculer?: MoleculerPackage;
  disableVersionCheck?: boolean;
  /** Commands whose incoming packets the peer prints as `wire-in` lines (JSON serializer only). */
  wireLog?: string[];
  /** `full` (math, peer, three test.evt listeners) or `minimal` (a `victim` service: ping, slow). */
  role?: "full" | "minimal";
  /** Seconds of silence before the peer drops a node (3). */
  heartbeatTimeout?: number;
}

/** A JSON line the peer printed. */
export interface PeerLine {
  kind: string;
  [field: string]: unknown;
}

/** What the peer prints for an error it received. */
export interface PeerError {
  name: string;
  message: string;
  code: number;
  type: string;
  data: unknown;
  nodeID: string;
  retryable: boolean;
  isMoleculerError: boolean;
  isValidationError: boolean;
  className: string | null;
}

export interface PeerReply extends PeerLine {
  kind: "reply";
  id: string;
  ok: boolean;
  data?: unknown;
  meta?: Record<string, unknown>;
  error?: PeerError;
}

export type PeerCommand =
  | { cmd: "call"; action: string; params?: unknown; opts?: Record<string, unknown> }
  | { cmd: "emit" | "broadcast"; event: string; data?: unknown; opts?: Record<string, unknown> }
  | { cmd: "ping"; nodeID: string }
  | { cmd: "streamCall"; action: string; params?: unknown; size?: number; items?: unknown[]; failBefore?: number; opts?: Record<string, unknown> }
  | { cmd: "streamDownload"; action: string; params?: unknown; objectMode?: boolean; opts?: Record<string, unknown> };

/** Every peer still alive in this process: killed (by pid) on exit, whatever happened. */
const live = new Set<MoleculerPeer>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on("exit", () => {
    for (const peer of live) peer.killNow();
  });
}

/** The lines printed so far, for failure messages. */
function tail(lines: string[], n = 25): string {
  return lines.slice(-n).join("\n");
}

/**
 * A Moleculer node in a child process. Collects its stdout lines (JSON lines
 * parsed into `lines`), sends it commands on stdin, and kills it by pid.
 */
export class MoleculerPeer {
  readonly lines: PeerLine[] = [];
  readonly raw: string[] = [];
  readonly stderr: string[] = [];
  exitCode: number | null = null;
  exitSignal: NodeJS.Signals | null = null;
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly exited: Promise<void>;
  private readonly waiters = new Set<() => void>();
  private nextId = 0;
  /** The OS process is gone (its pid must not be signalled any more). */
  private processExited = false;

  constructor(readonly options: PeerOptions) {
    installExitHook();
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      PEER_NODE_ID: options.nodeID,
      PEER_NAMESPACE: options.namespace,
      PEER_TRANSPORTER: options.transporter,
      PEER_SERIALIZER: options.serializer,
      ...(options.heartbeatTimeout !== undefined ? { PEER_HEARTBEAT_TIMEOUT: String(options.heartbeatTimeout) } : {}),
      PEER_MOLECULER: options.moleculer ?? "moleculer",
      PEER_DISABLE_VERSION_CHECK: options.disableVersionCheck ? "1" : "0",
      PEER_ROLE: options.role ?? "full",
      PEER_WIRE_LOG: (options.wireLog ?? []).join(","),
      PEER_MAX_LIFETIME_MS: "120000",
    };
    // The jest worker's own NODE_OPTIONS (if any) must not leak into a plain node child.
    delete env.NODE_OPTIONS;
    this.child = spawn(process.execPath, [PEER_SCRIPT], { env, stdio: ["pipe", "pipe", "pipe"] });
    live.add(this);
    this.child.once("exit", () => (this.processExited = true));
    this.exited = new Promise((resolve) => {
      // "close", not "exit": by then every line it printed has been read.
      this.child.once("close", (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        live.delete(this);
        this.notify();
        resolve();
      });
    });
    this.child.once("error", (err) => {
      this.stderr.push(`spawn error: ${err.message}`);
      live.delete(this);
      this.notify();
    });
    createInterface({ input: this.child.stdout }).on("line", (line) => this.onLine(line));
    createInterface({ input: this.child.stderr }).on("line", (line) => this.stderr.push(line));
    // A write after the child died must not crash the test process.
    this.child.stdin.on("error", () => undefined);
  }

  get nodeID(): string {
    return this.options.nodeID;
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  get alive(): boolean {
    return this.exitCode === null && this.exitSignal === null && live.has(this);
  }

  /** Lines of one kind. */
  linesOf(kind: string): PeerLine[] {
    return this.lines.filter((l) => l.kind === kind);
  }

  waitForReady(timeoutMs = 15_000): Promise<void> {
    return this.waitUntil(() => (this.raw.includes("READY") ? true : undefined), timeoutMs, "READY").then(() => undefined);
  }

  /** Resolves with the first line (seen so far or later) matching `predicate`. */
  waitForLine(predicate: (line: PeerLine) => boolean, timeoutMs = 8_000, what = "a matching line"): Promise<PeerLine> {
    return this.waitUntil(() => this.lines.find(predicate), timeoutMs, what);
  }

  /** Resolves once `count` lines match. */
  waitForLines(predicate: (line: PeerLine) => boolean, count: number, timeoutMs = 8_000, what = "matching lines"): Promise<PeerLine[]> {
    return this.waitUntil(
      () => {
        const found = this.lines.filter(predicate);
        return found.length >= count ? found : undefined;
      },
      timeoutMs,
      `${count} × ${what}`,
    );
  }

  /** Sends a command on stdin and waits for its reply line. */
  async command(command: PeerCommand, timeoutMs = 8_000): Promise<PeerReply> {
    const id = `c${++this.nextId}`;
    this.child.stdin.write(`${JSON.stringify({ ...command, id })}\n`);
    const line = await this.waitForLine((l) => l.kind === "reply" && l.id === id, timeoutMs, `reply to ${JSON.stringify(command)}`);
    return line as PeerReply;
  }

  /** Sends a signal (by pid) and waits for the process to exit. */
  async kill(signal: NodeJS.Signals = "SIGTERM", timeoutMs = 8_000): Promise<void> {
    if (!this.alive) return;
    const pid = this.child.pid;
    if (pid !== undefined && !this.processExited) {
      try {
        process.kill(pid, signal);
      } catch {
        // already gone
      }
    }
    await this.waitUntil(() => (this.alive ? undefined : true), timeoutMs, `exit after ${signal}`);
  }

  /** Stops the peer: SIGTERM (graceful), then SIGKILL if it does not exit in time. Never throws. */
  async stop(timeoutMs = 5_000): Promise<void> {
    if (!this.alive) return;
    try {
      await this.kill("SIGTERM", timeoutMs);
    } catch {
      this.killNow();
      await Promise.race([this.exited, new Promise((r) => setTimeout(r, 2_000))]);
    }
  }

  /** Synchronous SIGKILL by pid (for the process 'exit' hook). */
  killNow(): void {
    const pid = this.child.pid;
    if (pid === undefined || this.processExited || !this.alive) return;
    try {
      process.kill(pid, "SIGKILL");
    } catch {
      // already gone
    }
  }

  /** Everything the peer printed, for assertion messages. */
  describe(): string {
    return `peer ${this.nodeID} (pid ${this.pid}, exit ${this.exitCode ?? this.exitSignal ?? "-"})\n--- stdout ---\n${tail(this.raw)}\n--- stderr ---\n${tail(this.stderr)}`;
  }

  private onLine(line: string): void {
    this.raw.push(line);
    if (line.startsWith("{")) {
      try {
        const parsed: unknown = JSON.parse(line);
        if (typeof parsed === "object" && parsed !== null && typeof (parsed as PeerLine).kind === "string") {
          this.lines.push(parsed as PeerLine);
        }
      } catch {
        // not one of ours: kept in `raw` only
      }
    }
    this.notify();
  }

  private notify(): void {
    for (const waiter of [...this.waiters]) waiter();
  }

  /** Re-checks `probe` whenever the peer prints or exits; rejects with the peer's output after `timeoutMs`. */
  private waitUntil<T>(probe: () => T | undefined, timeoutMs: number, what: string): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const first = probe();
      if (first !== undefined) return resolve(first);
      if (!this.alive) return reject(new Error(`Peer is not running; was waiting for ${what}\n${this.describe()}`));
      const check = () => {
        const value = probe();
        if (value !== undefined) {
          done();
          resolve(value);
        } else if (!this.alive) {
          done();
          reject(new Error(`Peer exited while waiting for ${what}\n${this.describe()}`));
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}\n${this.describe()}`));
      }, timeoutMs);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
    });
  }
}

/** Stops every peer given (ignores the ones never started or already gone). */
export async function stopPeers(peers: Array<MoleculerPeer | undefined>): Promise<void> {
  await Promise.all(peers.map((p) => p?.stop()));
}
