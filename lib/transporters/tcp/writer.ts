import { connect, type Socket } from "node:net";
import { FailureLog } from "../base";
import { FrameType, type FrameTypeId, frameHeader, HEADER_SIZE, writeHeader } from "./frame";

/** Where a node listens, or null when no address is known. */
export type Locate = (nodeID: string) => { host: string; port: number } | null;

export interface WriterPorts {
  locate: Locate;
  /** The HELLO payload's bytes, sent first on every new socket. */
  hello: (nodeID: string) => Buffer;
  /** An open socket to the node ended or failed: the node is gone (not called for our own closes). */
  lost: (nodeID: string) => void;
  /** One line per node for failing connects: the first, then one every tenth. */
  log: (line: string) => void;
}

export interface WriterOptions {
  maxConnections: number;
  /** First retry delay after a failed connect; doubles up to `maxBackoff`. */
  backoff?: number;
  maxBackoff?: number;
}

interface Outgoing {
  socket: Socket;
  /** Use counter value at the last data frame (gossip does not count), for the LRU. */
  lastUsed: number;
  /** Frames of this tick, written together at its end: payloads, their types, and the bytes they take framed. */
  payloads: Buffer[];
  types: FrameTypeId[];
  bytes: number;
}

/**
 * At most this many frames per write. Holding a whole tick's frames (100
 * answers, then 100 new requests) makes two processes on a busy pair of
 * cores take turns: the peer idles while this side finishes its tick.
 * Writing every 32 frames lets both work at once: at 100 calls in flight
 * across two processes ×1.4 the calls per second of one write per tick
 * (bench/remote.ts, TCP/JSON: 77 k/s → 114 k/s; 8 and 16 were within noise).
 */
const BATCH_FRAMES = 32;

/** Above this, a tick's frames are written as they are (corked) instead of copied into one buffer. */
const COPY_LIMIT = 64 * 1024;

interface Failing {
  failures: number;
  retryAt: number;
  log: FailureLog;
}

/** What `send` returns when the frame went straight onto an open socket (compared by identity). */
export const QUEUED = Promise.resolve();

/** A connect that failed recently: the peer is not tried again until its backoff ends. */
export class PeerUnreachableError extends Error {
  constructor(
    readonly nodeID: string,
    reason: string,
  ) {
    super(`Node '${nodeID}' is unreachable over TCP: ${reason}`);
    this.name = "PeerUnreachableError";
  }
}

/**
 * Our outgoing sockets, one per target node: a node writes only on its own
 * socket to a peer. The frames of one tick leave in one write at its end:
 * copied into one buffer, headers included (one allocation and one syscall
 * per tick, not per frame; a `writev` of small pieces costs more). At most `maxConnections` stay open,
 * the least recently used closing first. A peer that refuses is retried with
 * a doubling backoff and logged once per ten attempts.
 */
export class TcpWriter {
  private readonly sockets = new Map<string, Outgoing>();
  private readonly connecting = new Map<string, Promise<Outgoing>>();
  private readonly failing = new Map<string, Failing>();
  private uses = 0;
  private closed = false;

  constructor(
    private readonly opts: WriterOptions,
    private readonly ports: WriterPorts,
  ) {}

  get size(): number {
    return this.sockets.size;
  }

  has(nodeID: string): boolean {
    return this.sockets.has(nodeID);
  }

  /** Resolves once the frame is queued on the socket (errors surface as the node being lost). */
  send(nodeID: string, type: FrameTypeId, data: Buffer): Promise<void> {
    const out = this.sockets.get(nodeID);
    if (out !== undefined) {
      this.write(out, type, data);
      return QUEUED;
    }
    return this.open(nodeID).then((opened) => this.write(opened, type, data));
  }

  /**
   * Resolves once no outgoing socket holds more than its high-water mark
   * (after this tick's batched frames are written): the backpressure
   * stream senders pace by towards peers that grant no credit.
   */
  drained(): Promise<void> {
    return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      const waits: Array<Promise<void>> = [];
      for (const { socket } of this.sockets.values()) {
        // 'drain' comes only after a write that went over the high-water mark: below it, nothing to wait for.
        if (socket.destroyed || !socket.writableNeedDrain) continue;
        waits.push(new Promise<void>((resolve) => {
          const done = () => {
            socket.off("drain", done);
            socket.off("close", done);
            resolve();
          };
          socket.on("drain", done);
          socket.on("close", done);
        }));
      }
      return Promise.all(waits).then(() => undefined);
    });
  }

  close(): void {
    this.closed = true;
    for (const out of this.sockets.values()) out.socket.destroy();
    this.sockets.clear();
    this.failing.clear();
  }

  /** The node showed it is up (its HELLO, its datagram): the next send tries it at once, whatever the backoff. */
  retryNow(nodeID: string): void {
    this.failing.delete(nodeID);
  }

  /** Forgets a node's socket (it left): closed quietly. */
  drop(nodeID: string): void {
    const out = this.sockets.get(nodeID);
    if (out === undefined) return;
    this.sockets.delete(nodeID);
    out.socket.destroy();
  }

  private write(out: Outgoing, type: FrameTypeId, data: Buffer): void {
    if (type <= FrameType.PONG) out.lastUsed = ++this.uses;
    if (out.payloads.length === 0) process.nextTick(flush, out);
    out.payloads.push(data);
    out.types.push(type);
    out.bytes += HEADER_SIZE + data.length;
    // Written before the tick ends once a batch is this big, so the peer starts on it while we go on (see BATCH_FRAMES).
    if (out.payloads.length >= BATCH_FRAMES) flush(out);
  }

  private open(nodeID: string): Promise<Outgoing> {
    const pending = this.connecting.get(nodeID);
    if (pending !== undefined) return pending;
    const failing = this.failing.get(nodeID);
    if (failing !== undefined && Date.now() < failing.retryAt) {
      return Promise.reject(new PeerUnreachableError(nodeID, `retrying after ${failing.failures} failed attempt(s)`));
    }
    const address = this.ports.locate(nodeID);
    if (address === null) return Promise.reject(new PeerUnreachableError(nodeID, "no known address"));
    const attempt = this.connectTo(nodeID, address.host, address.port).finally(() => this.connecting.delete(nodeID));
    this.connecting.set(nodeID, attempt);
    return attempt;
  }

  private connectTo(nodeID: string, host: string, port: number): Promise<Outgoing> {
    return new Promise((resolve, reject) => {
      const socket = connect({ host, port, noDelay: true });
      socket.unref();
      let out: Outgoing | null = null;
      let refused = false;
      const failed = (err: Error) => {
        if (out === null && !refused) {
          refused = true;
          this.failed(nodeID, host, port, err);
          reject(new PeerUnreachableError(nodeID, err.message || (err as { code?: string }).code || err.name));
        }
      };
      socket.once("connect", () => {
        if (this.closed) {
          socket.destroy();
          reject(new PeerUnreachableError(nodeID, "transporter closed"));
          return;
        }
        this.failing.delete(nodeID);
        out = { socket, lastUsed: ++this.uses, payloads: [], types: [], bytes: 0 };
        this.replace(nodeID, out);
        this.write(out, FrameType.GOSSIP_HELLO, this.ports.hello(nodeID));
        if (this.sockets.size > this.opts.maxConnections) this.evict();
        resolve(out);
      });
      socket.on("error", failed);
      socket.on("close", () => {
        if (out === null) return failed(new Error("Connection closed"));
        // Only the socket we still hold counts: an evicted or replaced one closing is ours.
        if (this.sockets.get(nodeID) === out) {
          this.sockets.delete(nodeID);
          this.ports.lost(nodeID);
        }
      });
    });
  }

  private replace(nodeID: string, out: Outgoing): void {
    const old = this.sockets.get(nodeID);
    this.sockets.set(nodeID, out);
    old?.socket.destroy();
  }

  private failed(nodeID: string, host: string, port: number, err: Error): void {
    let f = this.failing.get(nodeID);
    if (f === undefined) {
      f = { failures: 0, retryAt: 0, log: new FailureLog(this.ports.log) };
      this.failing.set(nodeID, f);
    }
    f.failures++;
    const base = this.opts.backoff ?? 500;
    f.retryAt = Date.now() + Math.min(this.opts.maxBackoff ?? 30_000, base * 2 ** Math.min(f.failures - 1, 16));
    f.log.failed(`Cannot connect to node '${nodeID}' at ${host}:${port}`, err);
  }

  /** Closes the least recently used sockets down to `maxConnections`. */
  private evict(): void {
    const byUse = [...this.sockets].sort((a, b) => a[1].lastUsed - b[1].lastUsed);
    for (let i = 0; this.sockets.size > this.opts.maxConnections && i < byUse.length - 1; i++) this.drop(byUse[i][0]);
  }
}

function flush(out: Outgoing): void {
  const { socket, payloads, types, bytes } = out;
  if (payloads.length === 0) return;
  out.payloads = [];
  out.types = [];
  out.bytes = 0;
  if (socket.destroyed) return;
  if (bytes > COPY_LIMIT) {
    socket.cork();
    for (let i = 0; i < payloads.length; i++) {
      socket.write(frameHeader(types[i], payloads[i].length));
      socket.write(payloads[i]);
    }
    socket.uncork();
    return;
  }
  const buffer = Buffer.allocUnsafe(bytes);
  let offset = 0;
  for (let i = 0; i < payloads.length; i++) {
    offset = writeHeader(buffer, offset, types[i], payloads[i].length);
    offset += payloads[i].copy(buffer, offset);
  }
  socket.write(buffer);
}
