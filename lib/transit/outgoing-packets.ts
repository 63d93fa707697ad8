import type { EventPacket, ProtocolVersion, RequestPacket } from "./packets";
import type { Context } from "./transit-host";

/*
 * One literal with every field each: spreading into a literal, or adding a
 * field afterwards, is slow on node 20. So v4 and v5 have a builder each,
 * and a v4 packet is exactly what Moleculer 0.14 sends (no `headers`). A
 * v5 packet without headers gets a fresh `{}` as Moleculer 0.15 sends, not
 * a shared one: a `transitPublish` middleware may add to it.
 */

/** REQ and EVENT builders for one protocol version. */
export interface OutgoingPackets {
  /** The REQ for a call context. */
  request(nodeID: string, ctx: Context): RequestPacket;
  /** The EVENT for an event context; `groups` omitted for a plain broadcast. */
  event(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): EventPacket;
}

export function outgoingPackets(version: ProtocolVersion): OutgoingPackets {
  return version === "5" ? { request: requestPacketV5, event: eventPacketV5 } : { request: requestPacket, event: eventPacket };
}

export function requestPacket(nodeID: string, ctx: Context): RequestPacket {
  return {
    ver: "4",
    sender: nodeID,
    id: ctx.id,
    action: (ctx.action as { name: string }).name,
    params: ctx.params,
    meta: ctx.hasMeta ? ctx.meta : {},
    timeout: ctx.timeout > 0 ? ctx.timeout : null,
    level: ctx.level,
    tracing: ctx.tracing,
    parentID: ctx.parentID,
    requestID: ctx.requestID,
    caller: ctx.caller,
    stream: false,
  };
}

function requestPacketV5(nodeID: string, ctx: Context): RequestPacket {
  return {
    ver: "5",
    sender: nodeID,
    id: ctx.id,
    action: (ctx.action as { name: string }).name,
    params: ctx.params,
    meta: ctx.hasMeta ? ctx.meta : {},
    headers: ctx.hasHeaders ? ctx.headers : {},
    timeout: ctx.timeout > 0 ? ctx.timeout : null,
    level: ctx.level,
    tracing: ctx.tracing,
    parentID: ctx.parentID,
    requestID: ctx.requestID,
    caller: ctx.caller,
    stream: false,
  };
}

export function eventPacket(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): EventPacket {
  const packet: EventPacket = {
    ver: "4",
    sender: nodeID,
    id: ctx.id,
    event: ctx.eventName as string,
    data: ctx.params,
    broadcast,
    meta: ctx.hasMeta ? ctx.meta : {},
    level: ctx.level,
    tracing: ctx.tracing,
    parentID: ctx.parentID,
    requestID: ctx.requestID,
    caller: ctx.caller,
    needAck: null,
  };
  if (groups) packet.groups = groups;
  return packet;
}

function eventPacketV5(nodeID: string, ctx: Context, groups: string[] | null, broadcast: boolean): EventPacket {
  const packet: EventPacket = {
    ver: "5",
    sender: nodeID,
    id: ctx.id,
    event: ctx.eventName as string,
    data: ctx.params,
    broadcast,
    meta: ctx.hasMeta ? ctx.meta : {},
    headers: ctx.hasHeaders ? ctx.headers : {},
    level: ctx.level,
    tracing: ctx.tracing,
    parentID: ctx.parentID,
    requestID: ctx.requestID,
    caller: ctx.caller,
    needAck: null,
  };
  if (groups) packet.groups = groups;
  return packet;
}
