import type { Readable } from "node:stream";
import type { Logger } from "pino";
import { BrokerDisconnectedError, BrokerOptionsError, RequestRejectedError, RequestTimeoutError, payloadToError } from "../../errors";
import type { RateLimitedLog } from "../../utils/rate-limited-log";
import type { PendingRequests } from "../pending-requests";
import type { ProtocolVersion, RequestPacket, ResponsePacket } from "../packets";
import type { RequestRef, RespondTo } from "../serve-request";
import type { Context } from "../transit-host";
import { IncomingStream, type StreamEvent } from "./incoming-stream";
import { OBJECT_MODE, RequestStreamPackets, ResponseStreamPackets, STREAM_ERROR, flagOf, isStreamRequest, isStreamResponse, withoutFlags } from "./stream-packets";
import { StreamSender } from "./stream-sender";

/** What streams need of transit. */
export interface StreamsHost {
  readonly nodeID: string;
  readonly ver: ProtocolVersion;
  readonly logger: Logger;
  readonly log: RateLimitedLog;
  readonly pending: PendingRequests;
  readonly maxChunkSize: number;
  /** Our credit window in chunks (0: we grant none and announce none). */
  readonly window: number;
  /** Sends one stream packet through the transit hooks; rejects (nothing sent) when it cannot be encoded or is too large. */
  send(packet: { type: "REQ"; target: string | null; payload: RequestPacket } | { type: "RES"; target: string; payload: ResponsePacket }): Promise<void>;
  /** The transport's backpressure. */
  flush(): Promise<void>;
  /**
   * A stream packet came from `nodeID`: it is alive. Its HEARTBEATs queue
   * behind its chunks on the transport (Moleculer #1326: a long stream made
   * the receiver drop its sender), so the chunks count as heartbeats.
   */
  alive(nodeID: string): void;
  /** The credit window a node announced in its INFO; 0 when it grants none (Moleculer). */
  peerWindow(nodeID: string): number;
  /** Serves the request that opens an incoming request stream; the handler reads `stream`. */
  serve(p: RequestPacket, stream: Readable, respond: RespondTo): void;
  readonly respond: RespondTo;
}

interface Incoming<S> {
  sender: string;
  action: string;
  stream: IncomingStream<S>;
}

interface Outgoing {
  target: string | null;
  sender: StreamSender<unknown>;
}

/** Ids of streams that are over, remembered so their late packets are dropped quietly (bounded). */
const CLOSED_REMEMBERED = 1024;
/** Without credit, senders wait for the transport every this many bytes. */
const FLUSH_EVERY = 1024 * 1024;

/**
 * Every stream of this node, both directions (shared/moleculer-protocol.md
 * §6): request streams it sends (calls with a `stream` option) or serves
 * (`ctx.stream`), response streams it sends (a handler returned a Readable)
 * or receives. Transit hands it the stream and credit packets; everything
 * it keeps is bounded and released when a stream ends, fails, times out,
 * or its peer leaves (`stats()` shows it).
 */
export class TransitStreams {
  private readonly outgoingRequests = new Map<string, Outgoing>();
  private readonly outgoingResponses = new Map<string, Outgoing>();
  private readonly incomingRequests = new Map<string, Incoming<RequestPacket>>();
  private readonly incomingResponses = new Map<string, Incoming<ResponsePacket>>();
  private readonly closed = new Set<string>();

  constructor(private readonly host: StreamsHost) {}

  /** What is held right now: all zero once every stream is over. */
  stats(): { outgoing: number; incoming: number; buffered: number } {
    let buffered = 0;
    for (const e of this.incomingRequests.values()) buffered += e.stream.buffered;
    for (const e of this.incomingResponses.values()) buffered += e.stream.buffered;
    return {
      outgoing: this.outgoingRequests.size + this.outgoingResponses.size,
      incoming: this.incomingRequests.size + this.incomingResponses.size,
      buffered,
    };
  }

  // ── request streams we send ──

  /** A call with a request stream: seq 0 is the REQ itself, the stream's packets follow; resolves with the RES. */
  request(ctx: Context, stream: Readable, nodeID: string, target: string | null, packet: RequestPacket): Promise<unknown> {
    const { host } = this;
    const id = ctx.id;
    if (target === null) {
      // Each packet of a balanced REQ may land on another node: a stream needs one.
      const message = `A stream call of '${packet.action}' needs one node, and with disableBalancer the transport picks one per packet: pass the call option nodeID.`;
      return Promise.reject(new BrokerOptionsError(message, { action: packet.action }));
    }
    return new Promise((resolve, reject) => {
      // Settling stops the sender: the handler answered (maybe without reading it all), failed, or timed out.
      const settle = (fn: (v: unknown) => void) => (v: unknown) => {
        this.outgoingRequests.get(id)?.sender.abort();
        fn(v);
      };
      host.pending.add(ctx, nodeID, settle(resolve), settle(reject));
      const window = host.peerWindow(target);
      const sender: StreamSender<RequestPacket> = new StreamSender(stream, new RequestStreamPackets(host.ver, packet, stream.readableObjectMode), {
        nodeID: host.nodeID,
        send: (payload) => host.send({ type: "REQ", target, payload }),
        chunkSize: host.maxChunkSize,
        window,
        flush: () => host.flush(),
        flushEvery: FLUSH_EVERY,
        idleTimeout: 0, // the pending request's timer, refreshed per chunk, bounds it
        onProgress: () => host.pending.touch(id),
        onStartFailed: (err) => host.pending.take(id)?.reject(err),
        onDone: () => this.outgoingRequests.delete(id),
        warn: (kind, obj, msg) => host.log.warn(kind, Object.assign(obj, { id }), msg),
      });
      this.outgoingRequests.set(id, { target, sender: sender as StreamSender<unknown> });
      void sender.run();
    });
  }

  // ── response streams we send ──

  /** A handler returned a Readable: it goes back to the caller as a response stream. */
  respond(p: RequestRef, ctx: Context, stream: Readable): void {
    const { host } = this;
    const key = `${p.sender}\u0000${p.id}`;
    const window = host.peerWindow(p.sender);
    const frames = new ResponseStreamPackets(host.ver, host.nodeID, p.id, ctx.hasMeta ? ctx.meta : {}, ctx.hasResponseHeaders ? ctx.responseHeaders : {}, stream.readableObjectMode);
    const sender: StreamSender<ResponsePacket> = new StreamSender(stream, frames, {
      nodeID: host.nodeID,
      send: (payload) => host.send({ type: "RES", target: p.sender, payload }),
      chunkSize: host.maxChunkSize,
      window,
      flush: () => host.flush(),
      flushEvery: FLUSH_EVERY,
      idleTimeout: ctx.options.timeout ?? 0,
      onStartFailed: (err) => host.respond.fail(p, {}, err),
      onDone: () => this.outgoingResponses.delete(key),
      warn: (kind, obj, msg) => host.log.warn(kind, Object.assign(obj, { id: p.id, target: p.sender }), msg),
    });
    this.outgoingResponses.set(key, { target: p.sender, sender: sender as StreamSender<unknown> });
    void sender.run();
  }

  // ── packets in ──

  /** A REQ: true when it was a stream packet or a credit (handled here). */
  onRequest(p: RequestPacket): boolean {
    if (typeof p.credit === "number") {
      // Credit for a response stream we send: only from the node it goes to.
      this.outgoingResponses.get(`${p.sender}\u0000${p.id}`)?.sender.grant(p.credit);
      return true;
    }
    if (!isStreamRequest(p)) return false;
    this.host.alive(p.sender);
    const seq = p.seq as number;
    let entry = this.incomingRequests.get(p.id);
    if (entry === undefined) {
      entry = this.openRequestStream(p);
      if (entry === undefined) return true;
    } else if (entry.sender !== p.sender) {
      this.host.log.warn("stream-foreign", { id: p.id, sender: p.sender }, "Dropped a stream packet from another node than the stream's");
      return true;
    }
    if (seq === 0 && typeof p.window === "number" && p.window > 0) entry.stream.pace(p.window);
    entry.stream.accept(seq, requestEvent(p));
    return true;
  }

  /** A RES: true when it was a stream packet or a credit (handled here). */
  onResponse(p: ResponsePacket): boolean {
    if (typeof p.credit === "number") {
      const out = this.outgoingRequests.get(p.id);
      if (out !== undefined && (out.target === null || out.target === p.sender)) {
        // The receiver is alive and reading: the call's timeout starts again.
        this.host.pending.touch(p.id);
        out.sender.grant(p.credit);
      }
      return true;
    }
    if (!isStreamResponse(p)) return false;
    this.host.alive(p.sender);
    let entry = this.incomingResponses.get(p.id);
    if (entry === undefined) {
      entry = this.openResponseStream(p);
      if (entry === undefined) return true;
    } else if (entry.sender !== p.sender) {
      this.host.log.warn("stream-foreign", { id: p.id, sender: p.sender }, "Dropped a stream packet from another node than the stream's");
      return true;
    }
    const seq = p.seq as number;
    if (seq === 0 && typeof p.window === "number" && p.window > 0) entry.stream.pace(p.window);
    entry.stream.accept(seq, responseEvent(p));
    return true;
  }

  private openRequestStream(p: RequestPacket): Incoming<RequestPacket> | undefined {
    if (this.unknown(p.id, p.sender, p.seq)) return undefined;
    const { host } = this;
    const timeout = typeof p.timeout === "number" && p.timeout > 0 ? p.timeout : 0;
    const entry: Incoming<RequestPacket> = { sender: p.sender, action: p.action, stream: null as unknown as IncomingStream<RequestPacket> };
    entry.stream = new IncomingStream<RequestPacket>({
      sender: p.sender,
      objectMode: flagOf(p, OBJECT_MODE) === true,
      idleTimeout: timeout,
      timeoutError: () => new RequestTimeoutError({ action: p.action, nodeID: p.sender }),
      window: host.window,
      chunkBytes: host.maxChunkSize,
      maxAhead: Math.max(host.window * 32, 1024),
      maxPooled: Math.max(host.window * 32, 256),
      onStart: (start, stream) => {
        host.serve(start, stream.readable, this.answering(entry));
      },
      sendCredit: (credit) => void host.send({ type: "RES", target: p.sender, payload: { ver: host.ver, sender: host.nodeID, id: p.id, success: true, credit } }).catch(() => undefined),
      // The caller waits for a RES we cannot give without seq 0: it times out, or sees its stream fail.
      onFailedEarly: () => undefined,
      onClosed: () => this.forget(this.incomingRequests, p.id, entry),
      warn: (kind, obj, msg) => host.log.warn(kind, obj, msg),
    });
    this.incomingRequests.set(p.id, entry);
    return entry;
  }

  /** The RES of a served stream request also ends the stream on this side (late chunks are dropped). */
  private answering(entry: Incoming<RequestPacket>): RespondTo {
    const { respond } = this.host;
    const done = () => {
      if (!entry.stream.isClosed) {
        entry.stream.readable.destroy();
        entry.stream.close();
      }
    };
    return {
      ok: (p, ctx, data) => {
        done();
        respond.ok(p, ctx, data);
      },
      fail: (p, meta, err, headers) => {
        done();
        respond.fail(p, meta, err, headers);
      },
    };
  }

  private openResponseStream(p: ResponsePacket): Incoming<ResponsePacket> | undefined {
    if (this.unknown(p.id, p.sender, p.seq)) return undefined;
    const { host } = this;
    const pending = host.pending.takeAnswer(p.id, p.sender);
    if (pending === undefined) {
      host.logger.debug({ id: p.id, sender: p.sender }, "Dropped a packet of an unknown response stream");
      return undefined;
    }
    if (pending === null) {
      host.log.warn("forged-res", { id: p.id, sender: p.sender }, "Dropped a RES from a node the request did not go to");
      return undefined;
    }
    const ctx = pending.ctx;
    const action = ctx.action?.name ?? "";
    const entry: Incoming<ResponsePacket> = { sender: p.sender, action, stream: null as unknown as IncomingStream<ResponsePacket> };
    entry.stream = new IncomingStream<ResponsePacket>({
      sender: p.sender,
      objectMode: flagOf(p, OBJECT_MODE) === true,
      idleTimeout: ctx.timeout,
      timeoutError: () => new RequestTimeoutError({ action, nodeID: p.sender }),
      window: host.window,
      chunkBytes: host.maxChunkSize,
      maxAhead: Math.max(host.window * 32, 1024),
      maxPooled: Math.max(host.window * 32, 256),
      onStart: (start, stream) => {
        const meta = withoutFlags(start.meta);
        if (meta) Object.assign(ctx.meta, meta);
        const headers = withoutFlags(start.headers);
        if (headers) ctx.responseHeaders = headers;
        pending.resolve(stream.readable);
      },
      sendCredit: (credit) => void host.send({ type: "REQ", target: p.sender, payload: creditRequest(host, p.id, action, credit) }).catch(() => undefined),
      onFailedEarly: (err) => pending.reject(err),
      onClosed: () => this.forget(this.incomingResponses, p.id, entry),
      warn: (kind, obj, msg) => host.log.warn(kind, obj, msg),
    });
    this.incomingResponses.set(p.id, entry);
    return entry;
  }

  /**
   * A stream opens with seq 0 (every transport we run on keeps one sender's
   * packets in order); a later packet of a stream we do not hold (it is
   * over, or never was) is dropped with a debug line.
   */
  private unknown(id: string, sender: string, seq: unknown): boolean {
    if (seq === 0 && !this.closed.has(id)) return false;
    this.host.logger.debug({ id, sender, seq }, "Dropped a packet of an unknown or finished stream");
    return true;
  }

  private forget<S>(map: Map<string, Incoming<S>>, id: string, entry: Incoming<S>): void {
    if (map.get(id) !== entry) return;
    map.delete(id);
    this.closed.add(id);
    if (this.closed.size > CLOSED_REMEMBERED) this.closed.delete(this.closed.values().next().value as string);
  }

  // ── peers and shutdown ──

  /** A node left: its streams fail with a retryable error, ours towards it stop. */
  nodeGone(nodeID: string): void {
    for (const map of [this.incomingRequests, this.incomingResponses] as Array<Map<string, Incoming<unknown>>>) {
      for (const entry of [...map.values()]) {
        if (entry.sender === nodeID) entry.stream.fail(new RequestRejectedError({ action: entry.action, nodeID }));
      }
    }
    for (const out of [...this.outgoingResponses.values()]) if (out.target === nodeID) out.sender.abort();
    // Outgoing request streams stop when transit rejects their pending requests.
  }

  /** The transporter is gone: every stream fails. */
  closeAll(): void {
    for (const map of [this.incomingRequests, this.incomingResponses] as Array<Map<string, Incoming<unknown>>>) {
      for (const entry of [...map.values()]) entry.stream.fail(new BrokerDisconnectedError());
    }
    for (const out of [...this.outgoingResponses.values(), ...this.outgoingRequests.values()]) out.sender.abort();
  }
}

function requestEvent(p: RequestPacket): StreamEvent<RequestPacket> {
  if (p.seq === 0) return { kind: "start", start: p };
  if (p.stream === true) return { kind: "chunk", data: p.params };
  const error = flagOf(p, STREAM_ERROR);
  return error !== undefined && error !== null ? { kind: "error", error: payloadToError(error, p.sender) } : { kind: "end" };
}

function responseEvent(p: ResponsePacket): StreamEvent<ResponsePacket> {
  if (p.seq === 0) return { kind: "start", start: p };
  if (p.stream === true) return { kind: "chunk", data: p.data };
  return p.success === false ? { kind: "error", error: payloadToError(p.error, p.sender) } : { kind: "end" };
}

/** Credit for a response stream goes back as a REQ carrying `credit` (only to nucleon peers). */
function creditRequest(host: StreamsHost, id: string, action: string, credit: number): RequestPacket {
  return { ver: host.ver, sender: host.nodeID, id, action, credit };
}
