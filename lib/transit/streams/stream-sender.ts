import type { Readable } from "node:stream";
import { PayloadTooLargeError, errorToPayload } from "../../errors";
import { slices } from "./chunks";

/** The packets of one stream, whichever direction (see stream-packets.ts). */
export interface StreamFrames<P> {
  start(window: number): P;
  chunk(seq: number, chunk: unknown): P;
  end(seq: number): P;
  error(seq: number, error: Record<string, unknown>): P;
}

export interface SenderOptions<P> {
  nodeID: string;
  /** Sends one packet; rejects with `PayloadTooLargeError`, nothing sent, when the transport cannot take it. */
  send(packet: P): Promise<void>;
  /** Bytes per chunk at most (`transit.maxChunkSize`); halved while the transport refuses a chunk as too large. */
  chunkSize: number;
  /** The receiver's credit window in chunks, 0 when it grants none (a Moleculer peer). */
  window: number;
  /** The transport's backpressure: resolves once what was published has left. Awaited every `flushEvery` bytes without credit. */
  flush(): Promise<void>;
  flushEvery: number;
  /** ms without credit after which the sender gives up (0 = wait as long as the call lives). */
  idleTimeout: number;
  /** A chunk left: the caller's call is alive (refreshes its timeout). */
  onProgress?: () => void;
  /** seq 0 could not be sent: nothing reached the receiver. */
  onStartFailed(err: unknown): void;
  /** Called once when the sender stops for good (ended, failed or aborted). */
  onDone(): void;
  /** Rate-limited warnings. */
  warn(kind: string, obj: Record<string, unknown>, msg: string): void;
}

/**
 * Pumps a Readable into stream packets: seq 0, chunks (Buffers split at the
 * chunk size), then the end or error packet. Pacing: with a window it
 * never sends past the credit the receiver granted (memory stays bounded on
 * both sides however slow the reader); without one (a Moleculer receiver) it
 * waits for the transport to drain every `flushEvery` bytes. The source is
 * read only as fast as packets leave (paused between chunks), and destroyed
 * when the sender is aborted (the call failed, the receiver gave up or its
 * node left). Never rejects.
 */
export class StreamSender<P> {
  private seq = 0;
  private credit: number;
  private chunkSize: number;
  private aborted = false;
  private wake: (() => void) | null = null;
  private sinceFlush = 0;
  private readonly objectMode: boolean;

  constructor(
    private readonly source: Readable,
    private readonly frames: StreamFrames<P>,
    private readonly opts: SenderOptions<P>,
  ) {
    this.credit = opts.window > 0 ? opts.window : Number.POSITIVE_INFINITY;
    this.chunkSize = opts.chunkSize;
    this.objectMode = source.readableObjectMode === true;
  }

  /** Packets sent after seq 0. */
  get sent(): number {
    return this.seq;
  }

  /** The receiver may now send up to `credit`; a negative credit cancels the stream. */
  grant(credit: number): void {
    if (credit < 0) return this.abort();
    if (credit <= this.credit) return;
    this.credit = credit;
    this.wakeUp();
  }

  /** Stops for good: no more packets, the source destroyed. */
  abort(): void {
    if (this.aborted) return;
    this.aborted = true;
    this.wakeUp();
    if (!this.source.destroyed) this.source.destroy();
  }

  async run(): Promise<void> {
    try {
      await this.opts.send(this.frames.start(this.opts.window));
    } catch (err) {
      this.abort();
      this.opts.onStartFailed(err);
      this.opts.onDone();
      return;
    }
    let failure: unknown = null;
    try {
      for await (const chunk of this.source) {
        if (this.aborted) break;
        await this.chunk(chunk);
        if (this.aborted) break;
      }
    } catch (err) {
      failure = err;
    }
    if (!this.aborted) {
      this.aborted = true;
      const last =
        failure === null ? this.frames.end(this.seq + 1) : this.frames.error(this.seq + 1, errorToPayload(failure, this.opts.nodeID) as unknown as Record<string, unknown>);
      await this.opts.send(last).catch((err: unknown) => this.opts.warn("stream-end", { err }, "Could not send the last packet of a stream"));
    }
    this.opts.onDone();
  }

  private async chunk(chunk: unknown): Promise<void> {
    if (this.objectMode) return this.one(chunk, 0);
    for (const part of slices(this.gather(asBuffer(chunk)), this.chunkSize)) await this.part(part);
  }

  /**
   * Fills a packet with what the source can give right away (a source that
   * yields 64 KiB Buffers then costs a quarter of the packets); never waits
   * for more, so a trickling source is not delayed.
   */
  private gather(first: Buffer): Buffer {
    if (first.length >= this.chunkSize) return first;
    const parts = [first];
    let length = first.length;
    while (length < this.chunkSize) {
      // The async iterator reads the same buffer with read(): taking from it here is safe.
      const more = this.source.read() as unknown;
      if (more === null) break;
      const buf = asBuffer(more);
      parts.push(buf);
      length += buf.length;
    }
    return parts.length === 1 ? first : Buffer.concat(parts, length);
  }

  /** One Buffer slice; halved while the transport refuses it as too large (its serialized form may be larger than its bytes). */
  private async part(part: Buffer): Promise<void> {
    try {
      await this.one(part, part.length);
    } catch (err) {
      if (!(err instanceof PayloadTooLargeError) || part.length <= 1) throw err;
      this.chunkSize = Math.max(1, part.length >> 1);
      for (const half of slices(part, this.chunkSize)) await this.part(half);
    }
  }

  private async one(chunk: unknown, bytes: number): Promise<void> {
    const seq = this.seq + 1;
    if (seq > this.credit) await this.creditFor(seq);
    if (this.aborted) return;
    await this.opts.send(this.frames.chunk(seq, chunk));
    this.seq = seq;
    this.opts.onProgress?.();
    if (this.opts.window > 0) return;
    this.sinceFlush += bytes > 0 ? bytes : 1024;
    if (this.sinceFlush >= this.opts.flushEvery) {
      this.sinceFlush = 0;
      await this.opts.flush();
    }
  }

  /** Waits until the receiver grants `seq` (or the sender is aborted, or no credit came within the idle timeout). */
  private creditFor(seq: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | null = null;
      this.wake = () => {
        if (!this.aborted && seq > this.credit) return;
        if (timer !== null) clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      if (this.opts.idleTimeout > 0) {
        timer = setTimeout(() => {
          this.opts.warn("stream-stalled", { seq }, "A stream's receiver granted no credit within the timeout; the stream is cancelled");
          this.abort();
        }, this.opts.idleTimeout);
      }
    });
  }

  private wakeUp(): void {
    this.wake?.();
  }
}

function asBuffer(chunk: unknown): Buffer {
  return Buffer.isBuffer(chunk) ? chunk : typeof chunk === "string" ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array);
}
