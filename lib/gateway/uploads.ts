import { Transform, type Readable } from "node:stream";
import { finished } from "node:stream/promises";
import type { Multipart, MultipartFile } from "@fastify/multipart";
import type { Meta } from "../context/context";
import { FileMissingError, RequestTooLargeError, UnsupportedMediaTypeError } from "./gateway-errors";
import type { GatewayRequest, MultipartLimits } from "./types";

/** Calls the alias's action: with a stream (one file, or the raw body) or, for a form without files, none. */
export type UploadCall = (stream: Readable | undefined, meta: Meta) => Promise<unknown>;

const FORBIDDEN_KEYS = new Set(["__proto__", "constructor", "prototype"]);

function contentLength(req: GatewayRequest): number {
  const h = req.headers["content-length"];
  return h === undefined ? -1 : Number(h);
}

/**
 * `stream:` alias: the raw request body is the call's `ctx.stream`, read as
 * it arrives (never buffered), capped at `limit` bytes: a declared length
 * over it is refused before calling, a chunked body fails the stream at it.
 */
export async function callWithRawBody(req: GatewayRequest, limit: number, call: UploadCall, meta: Meta): Promise<unknown> {
  // A JSON or form body was already parsed (and read): it cannot be streamed again.
  if (req.body !== undefined) throw new UnsupportedMediaTypeError(req.headers["content-type"] ?? "(none)");
  if (contentLength(req) > limit) throw new RequestTooLargeError("request body", limit);
  let seen = 0;
  let over = false;
  const capped = new Transform({
    transform(chunk: Buffer, _enc, done) {
      seen += chunk.length;
      if (seen <= limit) return done(null, chunk);
      over = true;
      done(new RequestTooLargeError("request body", limit));
    },
  });
  const raw = req.raw;
  raw.on("error", (err) => capped.destroy(err));
  raw.pipe(capped);
  try {
    const data = await call(capped, meta);
    if (over) throw new RequestTooLargeError("request body", limit);
    return data;
  } catch (err) {
    // However the handler reported the failed read, the client learns why.
    if (over) throw new RequestTooLargeError("request body", limit);
    throw err;
  }
}

/**
 * `multipart:` alias, as moleculer-web does it: each file part is one call
 * with the file as `ctx.stream` and `ctx.meta` carrying fieldname, filename,
 * encoding, mimetype and the fields sent before it as `$multipart`. Parts are
 * read one at a time with backpressure; the answer is the list of results
 * (the one result when `limits.files` is 1), and a form of fields only makes
 * one call without a stream.
 */
export async function callPerFile(req: GatewayRequest, limits: MultipartLimits & { fileSize: number }, call: UploadCall, baseMeta: Meta): Promise<unknown> {
  if (!req.isMultipart()) throw new UnsupportedMediaTypeError(req.headers["content-type"] ?? "(none)");
  const fields: Record<string, unknown> = {};
  const calls: Array<Promise<unknown>> = [];
  let failure: unknown = null;
  let tooLarge: RequestTooLargeError | null = null;
  const fail = (err: unknown): void => {
    failure ??= err;
  };
  try {
    for await (const part of req.parts({ limits })) {
      if (part.type === "field") {
        if (!FORBIDDEN_KEYS.has(part.fieldname)) fields[part.fieldname] = (part as Multipart & { value: unknown }).value;
        continue;
      }
      const { file, fieldname, filename, encoding, mimetype } = part as MultipartFile;
      file.once("limit", () => {
        tooLarge = new RequestTooLargeError(`file '${filename}'`, limits.fileSize);
        file.destroy(tooLarge);
      });
      const meta: Meta = { ...baseMeta, fieldname, filename, encoding, mimetype, $multipart: { ...fields } };
      const settled = call(file, meta).then(
        (data) => {
          file.resume(); // an action that answered without reading all: drain it, the next part only comes after
          return data;
        },
        (err: unknown) => {
          fail(err);
          file.resume();
          return err;
        },
      );
      calls.push(settled);
      // The next part comes once this file is read through (or the action gave up on it).
      await Promise.race([finished(file).catch(fail), settled]);
      if (!file.readableEnded && !file.destroyed) await finished(file).catch(fail);
      if (tooLarge) break;
    }
  } catch (err) {
    fail(err);
  }
  const results = await Promise.all(calls);
  if (tooLarge) throw tooLarge;
  if (failure !== null) throw failure;
  if (calls.length === 0) {
    if (Object.keys(fields).length === 0) throw new FileMissingError();
    return call(undefined, { ...baseMeta, $multipart: fields });
  }
  return calls.length === 1 && limits.files === 1 ? results[0] : results;
}
