import { Readable } from "node:stream";
import { InvalidPacketDataError } from "../../errors";
import { toBuffer } from "./chunks";
import { ReorderBuffer } from "./reorder-buffer";

/** One packet of a stream, read off the wire by its owner. */
export type StreamEvent<S> = { kind: "start"; start: S } | { kind: "chunk"; data: unknown } | { kind: "end" } | { kind: "error"; error: Error };

export interface IncomingOptions<S> {
  sender: string;
  objectMode: boolean;
  /** ms without a packet before the stream fails with `timeoutError()` (0 = never). */
  idleTimeout: number;
  timeoutError(): Error;
  /** Our credit window, in chunks of `chunkBytes` (the sender's max chunk size). */
  window: number;
  /** Bytes a full chunk carries (`transit.maxChunkSize`): with smaller chunks, more of them are granted, for the same bytes. */
  chunkBytes: number;
  /** How far past the next expected seq a packet may be, and how many may wait, before they are dropped. */
  maxAhead: number;
  maxPooled: number;
  /** seq 0 arrived (in order): the owner starts the call or resolves the caller. */
  onStart(start: S, stream: IncomingStream<S>): void;
  /** Sends credit to the sender (only when it asked for credit); -1 cancels. */
  sendCredit(credit: number): void;
  /** The stream failed before seq 0 was delivered (timeout, node gone): the owner fails its call. */
  onFailedEarly(err: Error): void;
  /** Once, when the stream is over in any way: the owner forgets it. */
  onClosed(): void;
  warn(kind: string, obj: Record<string, unknown>, msg: string): void;
}

/**
 * The receiving side of one stream: packets in any order go through a
 * `ReorderBuffer`, chunks are handed to the reader (`readable`) only as it
 * pulls them, and with a pacing sender credit is granted as the reader
 * consumes, so at most about `window` chunks wait here whatever the
 * sender's speed. No packet for `idleTimeout` ms fails the stream.
 */
export class IncomingStream<S> {
  readonly readable: Readable;
  /** The sender waits for credit (its seq 0 said so). */
  private paced = false;
  private started = false;
  private readonly order: ReorderBuffer<StreamEvent<S>>;
  private queue: unknown[] = [];
  private ended = false;
  private closed = false;
  private reading = false;
  private pushed = 0;
  private pushedBytes = 0;
  private granted = 0;
  /** The window in chunks last granted with (grows when chunks are small). */
  private span = 0;
  private timer: NodeJS.Timeout | null = null;
  private failure: Error | null = null;

  constructor(private readonly opts: IncomingOptions<S>) {
    this.order = new ReorderBuffer(opts.maxAhead, opts.maxPooled);
    this.readable = new Readable({
      objectMode: opts.objectMode,
      // One chunk at a time: the queue here, not the Readable's buffer, holds what waits.
      highWaterMark: 1,
      read: () => {
        this.reading = true;
        if (this.failure !== null) return void this.readable.destroy(this.failure);
        this.drain();
      },
      destroy: (err, cb) => {
        // The reader gave up: the sender stops.
        if (!this.closed) {
          this.cancel();
          this.close();
        }
        cb(err);
      },
    });
    if (opts.idleTimeout > 0) this.timer = setTimeout(() => this.idle(), opts.idleTimeout);
  }

  get isClosed(): boolean {
    return this.closed;
  }

  /** Packets waiting for earlier ones, and chunks waiting for the reader. */
  get buffered(): number {
    return this.order.pooled + this.queue.length;
  }

  /** The sender waits for credit, starting with `window` chunks. */
  pace(window: number): void {
    this.paced = true;
    this.granted = window;
    this.span = Math.max(window, this.opts.window);
  }

  /** One packet of this stream. */
  accept(seq: number, event: StreamEvent<S>): void {
    if (this.closed) return;
    this.timer?.refresh();
    const offered = this.order.offer(seq, event, (e) => this.deliver(e));
    if (offered !== "in-order" && offered !== "early") {
      this.opts.warn(`stream-${offered}`, { sender: this.opts.sender, seq, expected: this.order.next }, `Dropped a stream packet (${offered})`);
    }
    // A pacing sender never has more than its window in flight: one that does ignores credit.
    if (this.paced && this.buffered > this.span * 2) {
      this.fail(new InvalidPacketDataError({ type: "stream", reason: "the sender ignored its credit window" }));
    }
  }

  /** No packet for the idle timeout: the sender is gone or stalled, unless it is our reader that is slow (it waits for credit then). */
  private idle(): void {
    if (this.started && (this.queue.length > 0 || !this.reading)) {
      this.timer?.refresh();
      return;
    }
    this.fail(this.opts.timeoutError());
  }

  /** Fails the stream (the reader gets `err`); a caller still waiting for seq 0 is rejected instead. */
  fail(err: Error): void {
    if (this.closed) return;
    this.cancel();
    if (!this.started) {
      this.close();
      this.opts.onFailedEarly(err);
      this.readable.destroy();
      return;
    }
    // Told when the reader asks next: an 'error' before anyone listens would be an unhandled one.
    this.failure = err;
    this.close();
    if (this.reading) this.readable.destroy(err);
  }

  /** A pacing sender is told to stop (a Moleculer sender cannot be: its late packets are dropped). */
  private cancel(): void {
    if (this.paced && !this.ended) this.opts.sendCredit(-1);
  }

  /** Forgets the stream without failing the reader (its call is over). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.order.clear();
    this.queue = [];
    this.opts.onClosed();
  }

  private deliver(event: StreamEvent<S>): void {
    switch (event.kind) {
      case "start":
        this.started = true;
        return this.opts.onStart(event.start, this);
      case "chunk": {
        const chunk = this.opts.objectMode ? event.data : toBuffer(event.data);
        if (chunk === null || chunk === undefined) {
          this.opts.warn("stream-bad-chunk", { sender: this.opts.sender }, "A stream chunk that is no Buffer in a Buffer stream; the stream fails");
          return this.fail(new InvalidPacketDataError({ type: "stream", reason: "a chunk that is no Buffer in a Buffer stream" }));
        }
        this.queue.push(chunk);
        return this.drain();
      }
      case "end":
        this.ended = true;
        if (this.timer !== null) clearTimeout(this.timer);
        return this.drain();
      case "error":
        return this.fail(event.error);
    }
  }

  /**
   * The window in chunks: `window` full-size chunks' worth of bytes, so a
   * source that yields 64 KiB Buffers keeps as many bytes in flight as one
   * yielding 256 KiB ones (at most 16× the chunks, to bound the packets).
   */
  private windowSpan(): number {
    const { window, chunkBytes, objectMode } = this.opts;
    if (objectMode || this.pushed === 0 || this.pushedBytes === 0) return window;
    const average = this.pushedBytes / this.pushed;
    return Math.min(window * 16, Math.max(window, Math.floor((window * chunkBytes) / average)));
  }

  /** Hands queued chunks to the reader while it wants them; credit follows what it took. */
  private drain(): void {
    if (!this.started || this.readable.destroyed) return;
    while (this.reading && this.queue.length > 0) {
      const chunk = this.queue.shift();
      this.pushed++;
      if (!this.opts.objectMode) this.pushedBytes += (chunk as Buffer).length;
      if (!this.readable.push(chunk)) this.reading = false;
    }
    if (this.paced && !this.ended) {
      const span = this.windowSpan();
      const target = this.pushed + span;
      if (target - this.granted >= span / 2) {
        this.span = Math.max(this.span, span);
        this.granted = target;
        this.opts.sendCredit(target);
      }
    }
    if (this.ended && this.queue.length === 0) {
      this.readable.push(null);
      this.close();
    }
  }
}
