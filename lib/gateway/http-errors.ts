import { NucleonError } from "../errors";

/** The JSON body of an error answer (moleculer-web's shape). */
export interface ErrorBody {
  name: string;
  message: string;
  code: number;
  type?: string;
  data?: unknown;
  stack?: string;
}

/**
 * An error as an HTTP status and body: the error's own `code` when it is an
 * HTTP status (ValidationError 422, ServiceNotFoundError 404,
 * RequestTimeoutError 504, …), 500 otherwise. In production a 5xx says no
 * more than its name; only a 5xx outside production carries a stack.
 */
export function errorToHttp(err: unknown, production: boolean): { status: number; body: ErrorBody } {
  const e = err instanceof Error ? err : new Error(String(err));
  const code = (e as { code?: unknown }).code;
  // Fastify's own errors (malformed JSON, body too large) carry `statusCode`.
  const statusCode = (e as { statusCode?: unknown }).statusCode;
  let status = typeof code === "number" && code >= 400 && code < 600 ? code : typeof statusCode === "number" && statusCode >= 400 && statusCode < 600 ? statusCode : 500;
  // Moleculer's "service not available" is 404 too; 514 (request skipped) is no HTTP status.
  if (status === 514) status = 504;
  const body: ErrorBody = { name: e.name, message: e.message, code: status };
  if (e instanceof NucleonError) {
    if (e.type) body.type = e.type;
    if (e.data !== undefined) body.data = e.data;
  } else if (typeof code === "string") {
    body.type = code; // fastify's FST_ERR_* codes
  }
  if (production && status >= 500) {
    body.message = status === 504 ? "Gateway Timeout" : "Internal Server Error";
    delete body.data;
  } else if (!production && status >= 500 && e.stack) {
    body.stack = e.stack;
  }
  return { status, body };
}
