import type { Readable } from "node:stream";
import { ServiceNotAvailableError } from "../errors";
import { requestContext } from "./packet-context";
import type { PacketHeaders, RequestPacket } from "./packets";
import type { Context, TransitHost } from "./transit-host";

/** What answering a request needs from it. */
export type RequestRef = Pick<RequestPacket, "id" | "sender" | "action">;

/**
 * Sends the RES of one request (see `Responder`). Never throws and never
 * rejects: it runs inside promise callbacks, where a throw would end the process.
 */
export interface RespondTo {
  ok(p: RequestRef, ctx: Context, data: unknown): void;
  /** `headers`: the handler's `ctx.responseHeaders`, when it ran and set any (v5 sends them). */
  fail(p: RequestRef, meta: Record<string, unknown>, err: unknown, headers?: PacketHeaders): void;
}

/** What serving a request needs of the host. */
export type ServeHost = Pick<TransitHost, "nodeID" | "stopping" | "createContext" | "serve">;

/**
 * Serves one incoming REQ: the host runs it on a local endpoint through the
 * local chain, and the RES goes back (with `ctx.meta` as the handler left
 * it, and its `ctx.responseHeaders`). A stopping node answers `ServiceNotAvailableError`; the host an
 * unknown or protected action with `ServiceNotFoundError`. Success and
 * failure are two paths, so a handler that throws `null` or `undefined`
 * still fails. `stream`: the request stream this REQ opened (`ctx.stream`).
 */
export function serveRequest(host: ServeHost, p: RequestPacket, respond: RespondTo, stream?: Readable): void {
  if (host.stopping) return respond.fail(p, requestMeta(p), new ServiceNotAvailableError({ action: p.action, nodeID: host.nodeID }));
  let ctx: Context;
  let result: Promise<unknown>;
  try {
    ctx = requestContext(host, p, stream);
    result = host.serve(p.action, ctx);
  } catch (err) {
    return respond.fail(p, requestMeta(p), err);
  }
  result.then(
    (data) => respond.ok(p, ctx, data),
    (err: unknown) => respond.fail(p, ctx.hasMeta ? ctx.meta : {}, err, ctx.hasResponseHeaders ? ctx.responseHeaders : undefined),
  );
}

/** The meta a RES echoes when the handler never ran. */
function requestMeta(p: RequestPacket): Record<string, unknown> {
  return typeof p.meta === "object" && p.meta !== null ? p.meta : {};
}
