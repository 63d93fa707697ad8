import { createHash } from "node:crypto";
import { Readable } from "node:stream";
import type { Meta } from "../context/context";
import type { GatewayReply, GatewayRequest } from "./types";

function isReadable(value: unknown): value is Readable {
  return value instanceof Readable || (typeof value === "object" && value !== null && typeof (value as Readable).pipe === "function" && typeof (value as Readable).on === "function");
}

/** Weak ETag of a body: a hash, so equal bodies get equal tags across gateways. */
function etagOf(body: string | Buffer): string {
  return `W/"${createHash("sha1").update(body).digest("base64url").slice(0, 27)}"`;
}

function matchesEtag(header: string | undefined, tag: string): boolean {
  if (header === undefined) return false;
  return header.split(",").some((t) => t.trim() === tag || t.trim() === "*");
}

/**
 * Writes an action's result, shaped by what the handler put in `ctx.meta`
 * ($statusCode, $statusMessage, $responseType, $responseHeaders, $location),
 * as moleculer-web does. A Readable is streamed; Buffers go as octet-stream;
 * strings as text; everything else as JSON. GET answers get an ETag and a 304
 * when the client already has it.
 */
export function sendResult(req: GatewayRequest, reply: GatewayReply, data: unknown, meta: Meta, etag: boolean): GatewayReply {
  const headers = meta.$responseHeaders;
  if (typeof headers === "object" && headers !== null) {
    for (const [k, v] of Object.entries(headers as Record<string, unknown>)) if (typeof v === "string" || typeof v === "number") void reply.header(k, v);
  }
  const location = meta.$location;
  let status = typeof meta.$statusCode === "number" ? meta.$statusCode : data === undefined || data === null ? 200 : 200;
  if (typeof location === "string") {
    void reply.header("location", location);
    if (meta.$statusCode === undefined) status = 302;
  }
  void reply.code(status);
  if (typeof meta.$statusMessage === "string") reply.raw.statusMessage = meta.$statusMessage;
  const type = typeof meta.$responseType === "string" ? meta.$responseType : undefined;

  if (isReadable(data)) {
    void reply.type(type ?? "application/octet-stream");
    return reply.send(data);
  }
  let body: string | Buffer;
  if (Buffer.isBuffer(data)) {
    void reply.type(type ?? "application/octet-stream");
    body = data;
  } else if (typeof data === "string" && type !== undefined && !type.includes("json")) {
    void reply.type(type);
    body = data;
  } else {
    void reply.type(type ?? "application/json; charset=utf-8");
    body = data === undefined ? "" : JSON.stringify(data);
  }
  if (etag && (req.method === "GET" || req.method === "HEAD") && status === 200) {
    const tag = etagOf(body);
    void reply.header("etag", tag);
    if (matchesEtag(req.headers["if-none-match"], tag)) return reply.code(304).send();
  }
  return reply.send(body);
}
