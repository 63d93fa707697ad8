import type { Context } from "../broker/context";
import type { ServiceBroker } from "../broker/service-broker";
import { ServiceNotAvailableError, ServiceNotFoundError } from "../errors";
import { errorToPayload } from "../errors/codec";
import type { ActionEndpoint } from "../registry/endpoint";
import { requestContext } from "./packet-context";
import { PROTOCOL_VERSION, RequestPacket, ResponsePacket } from "./packets";

/**
 * Serves one incoming REQ: runs it on a local endpoint through the local
 * chain and sends the RES (with `ctx.meta` as the handler left it). A
 * stopping node answers `ServiceNotAvailableError`; an unknown or protected
 * action `ServiceNotFoundError`.
 */
export function serveRequest(broker: ServiceBroker, p: RequestPacket, send: (target: string, packet: ResponsePacket) => Promise<void>): void {
  const ctx = requestContext(broker, p);
  const reply = (data: unknown, err: unknown) => {
    send(p.sender, responsePacket(broker.nodeID, p.id, ctx, data, err)).catch((e: unknown) =>
      broker.logger.warn({ err: e, target: p.sender }, "Could not send RES"),
    );
  };
  if (broker.stopping) return reply(undefined, new ServiceNotAvailableError({ action: p.action, nodeID: broker.nodeID }));
  const endpoint = localEndpoint(broker, p.action);
  if (endpoint === undefined) return reply(undefined, new ServiceNotFoundError({ action: p.action, nodeID: broker.nodeID }));
  broker.dispatch.callEndpoint(endpoint, ctx).then(
    (data) => reply(data, null),
    (err: unknown) => reply(undefined, err),
  );
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

/** Always `success`, and an `error` whenever it is false (a Moleculer caller hangs otherwise). */
function responsePacket(nodeID: string, id: string, ctx: Context, data: unknown, err: unknown): ResponsePacket {
  const meta = ctx.hasMeta ? ctx.meta : {};
  if (err === null || err === undefined) {
    // `data` absent (not null) when the handler returned undefined, as Moleculer sends it.
    return { ver: PROTOCOL_VERSION, sender: nodeID, id, success: true, data, meta };
  }
  return { ver: PROTOCOL_VERSION, sender: nodeID, id, success: false, data: null, error: errorToPayload(err, nodeID), meta };
}
