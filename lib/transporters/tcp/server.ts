import { createServer, type Server, type Socket } from "node:net";
import type { RateLimitedLog } from "../../utils/rate-limited-log";
import { FrameReader, type FrameTypeId } from "./frame";

export interface TcpServerOptions {
  host: string | undefined;
  port: number;
  maxPacketSize: number;
  handshakeTimeout: number;
  idleTimeout: number;
  frameTimeout: number;
}

/** A frame from an incoming socket; `socket` for the HELLO's remote address. */
export type FrameHandler = (type: FrameTypeId, payload: Buffer, socket: Socket) => void;

interface Incoming {
  reader: FrameReader;
  /** When the socket opened, its last whole frame arrived, or its current frame began. */
  lastFrameAt: number;
  partialSince: number;
  framed: boolean;
}

/**
 * The listening side: incoming sockets are only read. A malformed frame
 * closes its socket (one rate-limited log line); a socket that sends no
 * whole frame soon enough (a port scan, an HTTP client, a slow sender) is
 * closed by one sweep timer, not a timer per socket.
 */
export class TcpServer {
  private server: Server | null = null;
  private readonly sockets = new Map<Socket, Incoming>();
  private sweeper: NodeJS.Timeout | null = null;

  constructor(
    private readonly opts: TcpServerOptions,
    private readonly log: RateLimitedLog,
    private readonly onFrame: FrameHandler,
  ) {}

  /** Open sockets (for tests and the fault specs). */
  get connections(): number {
    return this.sockets.size;
  }

  /** Resolves with the port listened on. */
  listen(): Promise<number> {
    return new Promise((resolve, reject) => {
      const server = createServer({ noDelay: true }, (socket) => this.accept(socket));
      server.once("error", reject);
      server.listen({ port: this.opts.port, host: this.opts.host, exclusive: true }, () => {
        server.off("error", reject);
        server.on("error", (err) => this.log.warn("server", { err }, "TCP server error"));
        this.server = server;
        const sweepMs = Math.max(100, Math.min(1000, this.opts.handshakeTimeout / 4, this.opts.frameTimeout / 4));
        this.sweeper = setInterval(() => this.sweep(), sweepMs);
        this.sweeper.unref();
        resolve((server.address() as { port: number }).port);
      });
    });
  }

  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = null;
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets.keys()) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    const now = Date.now();
    const state: Incoming = {
      reader: new FrameReader(this.opts.maxPacketSize, (type, payload) => {
        state.lastFrameAt = Date.now();
        state.partialSince = 0;
        state.framed = true;
        this.onFrame(type, payload, socket);
      }),
      lastFrameAt: now,
      partialSince: 0,
      framed: false,
    };
    this.sockets.set(socket, state);
    socket.on("data", (chunk: Buffer) => {
      const err = state.reader.push(chunk);
      if (err !== null) {
        this.log.warn(`frame-${err.reason}`, { remote: socket.remoteAddress, reason: err.message }, "Closed a TCP socket that sent a malformed frame");
        this.drop(socket);
        return;
      }
      if (state.reader.partial && state.partialSince === 0) state.partialSince = Date.now();
    });
    socket.on("error", () => this.drop(socket));
    socket.on("close", () => this.sockets.delete(socket));
  }

  private drop(socket: Socket): void {
    this.sockets.delete(socket);
    socket.destroy();
  }

  private sweep(): void {
    const now = Date.now();
    const { handshakeTimeout, idleTimeout, frameTimeout } = this.opts;
    for (const [socket, s] of this.sockets) {
      const silent = now - s.lastFrameAt;
      const slow = s.partialSince > 0 && now - s.partialSince > frameTimeout;
      if ((!s.framed && silent > handshakeTimeout) || slow || (idleTimeout > 0 && silent > idleTimeout)) {
        this.log.warn("socket-timeout", { remote: socket.remoteAddress, framed: s.framed }, "Closed a TCP socket that sent no whole frame in time");
        this.drop(socket);
      }
    }
  }
}
