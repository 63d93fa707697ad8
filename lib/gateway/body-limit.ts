import { Transform } from "node:stream";
import type { FastifyInstance } from "fastify";
import { RequestTooLargeError } from "./gateway-errors";
import type { GatewayRequest } from "./types";

/**
 * Body limits per route, on top of fastify's parsers (whose own limit is
 * lifted so a route may allow more than the gateway): `limitOf` says the
 * limit of the request's route, or null for a body the parsers do not read
 * (`stream:`/`multipart:` aliases cap their own streams). A declared length
 * is checked up front (fastify then refuses a body that differs from it);
 * only a chunked body is counted on the way.
 */
export function enforceBodyLimits(app: FastifyInstance, limitOf: (req: GatewayRequest) => number | null): void {
  app.addHook("preParsing", (req, _reply, payload, done) => {
    const length = req.headers["content-length"];
    if (length === undefined && req.headers["transfer-encoding"] === undefined) return done(null, payload);
    const limit = limitOf(req);
    if (limit === null) return done(null, payload);
    if (length !== undefined) return Number(length) > limit ? done(new RequestTooLargeError("request body", limit)) : done(null, payload);
    let seen = 0;
    const capped = new Transform({
      transform(chunk: Buffer, _enc, next) {
        seen += chunk.length;
        if (seen > limit) next(new RequestTooLargeError("request body", limit));
        else next(null, chunk);
      },
    });
    payload.on("error", (err) => capped.destroy(err));
    done(null, payload.pipe(capped));
  });
}
