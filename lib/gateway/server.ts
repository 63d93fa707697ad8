import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type FastifyCors from "@fastify/cors";
import type FastifyMultipart from "@fastify/multipart";
import type FastifyRateLimit from "@fastify/rate-limit";
import type { FastifyInstance } from "fastify";
import type * as FastifyModule from "fastify";
import type IORedis from "ioredis";
import type { Logger } from "../broker/logger";
import { loadDriver } from "../utils/load-driver";
import type { GatewaySettings } from "./types";

const WHO = "The API gateway";

/** 1 MiB, fastify's default too. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

/** Whether a route declares a `multipart:` alias (only then is @fastify/multipart loaded). */
function hasMultipartAlias(settings: GatewaySettings): boolean {
  return (settings.routes ?? []).some((r) => Object.values(r.aliases ?? {}).some((t) => typeof t === "string" && t.startsWith("multipart:")));
}

/** The server and what must be closed with it. */
export interface HttpServer {
  app: FastifyInstance;
  close(): Promise<void>;
}

/**
 * fastify with the gateway's protections: body limit (413), JSON with
 * `__proto__`/`constructor` keys refused (400), socket timeouts against slow
 * or idle clients, 503 while closing, CORS and rate limiting when asked.
 */
export async function createHttpServer(settings: GatewaySettings, logger: Logger): Promise<HttpServer> {
  const fastify = loadDriver<typeof FastifyModule>("fastify", WHO).fastify;
  const t = settings.timeouts ?? {};
  const requestTimeout = t.request ?? 30_000;
  const headersTimeout = Math.min(t.headers ?? 10_000, requestTimeout);
  // Below the headers deadline: once Node's header check has seen an idle socket, its own inactivity timer no longer fires.
  const idleTimeout = Math.min(t.connection ?? 5_000, headersTimeout - 1);
  const keep = (): void => undefined;
  const app = fastify({
    logger: false,
    // Enforced per route by a preParsing hook (body-limit.ts), so a route may allow more than the gateway.
    bodyLimit: Number.MAX_SAFE_INTEGER,
    onProtoPoisoning: "error",
    onConstructorPoisoning: "error",
    return503OnClosing: true,
    forceCloseConnections: "idle",
    routerOptions: { ignoreTrailingSlash: true },
    // Node checks the header and request deadlines on this interval: keep it below them.
    serverFactory: (handler: (req: IncomingMessage, res: ServerResponse) => void) => {
      const server = createServer(
        {
          requestTimeout,
          headersTimeout,
          keepAliveTimeout: t.keepAlive ?? 5_000,
          connectionsCheckingInterval: Math.max(50, Math.min(1_000, Math.floor(headersTimeout / 2))),
        },
        // A request waiting for its action is not idle: Node's requestTimeout bounds it instead
        // (a `timeout` listener on the response keeps Node from destroying the socket).
        (req, res) => {
          res.on("timeout", keep);
          handler(req, res);
        },
      );
      // Socket inactivity: a client that connects and sends nothing is dropped.
      server.setTimeout(idleTimeout);
      return server;
    },
  });

  const closers: Array<() => Promise<unknown>> = [];

  app.addContentTypeParser("application/x-www-form-urlencoded", { parseAs: "string" }, (_req, body, done) => {
    // URLSearchParams → entries → a plain object: `__proto__` stays an own key, and the merge skips it.
    const out: Record<string, string> = {};
    for (const [k, v] of new URLSearchParams(body as string)) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    done(null, out);
  });

  // Any other type is left unread: a `stream:` alias hands it to its action; any other alias answers 415.
  app.addContentTypeParser("*", (_req, _payload, done) => done(null, undefined));
  if (hasMultipartAlias(settings)) {
    const multipart = loadDriver<typeof FastifyMultipart>("@fastify/multipart", WHO);
    // Parts are read per request by `req.parts()` (uploads.ts), with the route's limits.
    await app.register(multipart, { throwFileSizeLimit: true });
  }
  if (settings.cors) {
    const cors = loadDriver<typeof FastifyCors>("@fastify/cors", WHO);
    await app.register(cors, settings.cors === true ? {} : settings.cors);
  }
  if (settings.rateLimit) {
    const rl = settings.rateLimit;
    const rateLimit = loadDriver<typeof FastifyRateLimit>("@fastify/rate-limit", WHO);
    let redis: IORedis | undefined;
    if (rl.redis !== undefined) {
      const Redis = loadDriver<typeof IORedis>("ioredis", "The API gateway's Redis rate-limit store");
      redis = new Redis(rl.redis, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true });
      const client = redis;
      closers.push(() => client.quit().catch(() => client.disconnect()));
    }
    await app.register(rateLimit, { global: true, max: rl.max ?? 100, timeWindow: rl.timeWindow ?? 60_000, ...(redis ? { redis, nameSpace: rl.prefix ?? "nucleon-gw-rl:" } : {}) });
  }
  if (settings.logRequests !== false) {
    app.addHook("onResponse", (req, reply, done) => {
      logger.info({ method: req.method, url: req.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), requestID: reply.getHeader("x-request-id") }, "request");
      done();
    });
  }
  return {
    app,
    async close() {
      await app.close();
      for (const close of closers) await close();
    },
  };
}
