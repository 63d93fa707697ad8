import type { Context } from "../context/context";
import type { ServiceBroker } from "../broker/service-broker";
import { ServiceNotAvailableError, ServiceNotFoundError } from "../errors";
import type { ActionEndpoint } from "../registry/endpoint";
import { requestContext } from "./packet-context";
import type { RequestPacket } from "./packets";

/** What answering a request needs from it. */
export type RequestRef = Pick<RequestPacket, "id" | "sender" | "action">;

/**
 * Sends the RES of one request (see `Responder`). Never throws and never
 * rejects: it runs inside promise callbacks, where a throw would end the process.
 */
export interface RespondTo {
  ok(p: RequestRef, ctx: Context, data: unknown): void;
  fail(p: RequestRef, meta: Record<string, unknown>, err: unknown): void;
}

/**
 * Serves one incoming REQ: runs it on a local endpoint through the local
 * chain and sends the RES (with `ctx.meta` as the handler left it). A
 * stopping node answers `ServiceNotAvailableError`; an unknown or protected
 * action `ServiceNotFoundError`. Success and failure are two paths, so a
 * handler that throws `null` or `undefined` still fails.
 */
export function serveRequest(broker: ServiceBroker, p: RequestPacket, respond: RespondTo): void {
  if (broker.stopping) return respond.fail(p, requestMeta(p), new ServiceNotAvailableError({ action: p.action, nodeID: broker.nodeID }));
  const endpoint = localEndpoint(broker, p.action);
  if (endpoint === undefined) return respond.fail(p, requestMeta(p), new ServiceNotFoundError({ action: p.action, nodeID: broker.nodeID }));
  let ctx: Context;
  let result: Promise<unknown>;
  try {
    ctx = requestContext(broker, p);
    result = broker.dispatch.callEndpoint(endpoint, ctx);
  } catch (err) {
    return respond.fail(p, requestMeta(p), err);
  }
  result.then(
    (data) => respond.ok(p, ctx, data),
    (err: unknown) => respond.fail(p, ctx.hasMeta ? ctx.meta : {}, err),
  );
}

/** The meta a RES echoes when the handler never ran. */
function requestMeta(p: RequestPacket): Record<string, unknown> {
  return typeof p.meta === "object" && p.meta !== null ? p.meta : {};
}

/** A local endpoint callable from another node (not protected). */
function localEndpoint(broker: ServiceBroker, action: string): ActionEndpoint | undefined {
  const list = broker.registry.actions.get(action);
  if (list === undefined) return undefined;
  const local = list.localEndpoints;
  const endpoint = local.length === 1 ? local[0] : local.find((e) => e.available);
  if (endpoint === undefined || endpoint.action.visibility === "protected") return undefined;
  return endpoint;
}
