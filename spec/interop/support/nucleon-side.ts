import { IsInt, Min } from "class-validator";
import pino from "pino";
import { Action, type BrokerOptions, Context, Event, Meta, Service, ServiceBroker } from "nucleon";
import type { SerializerName } from "./moleculer-peer";

/** One `test.evt` delivery to a nucleon handler. */
export interface NucEvent {
  /** Namespace and nodeID of the nucleon node that ran the handler (suites reuse nodeIDs). */
  namespace: string;
  node: string;
  handler: string;
  payload: unknown;
  sender: string;
  eventType: string | null;
  groups: string[] | null;
  meta: Meta;
  headers: Record<string, unknown>;
}

/** One `$node.connected`/`$node.disconnected` seen by a nucleon node. */
export interface NucNodeEvent {
  namespace: string;
  node: string;
  event: string;
  nodeID: string;
  unexpected?: boolean;
  reconnected?: boolean;
}

export const nucEvents: NucEvent[] = [];
export const nucNodeEvents: NucNodeEvent[] = [];

/** What the nucleon node `nodeID` of `namespace` saw of `$node.<kind>` for `peer`. */
export function nodeEventsOf(namespace: string, nodeID: string, kind: "connected" | "disconnected", peer: string): NucNodeEvent[] {
  return nucNodeEvents.filter(
    (e) => e.namespace === namespace && e.node === nodeID && e.event === `$node.${kind}` && e.nodeID === peer,
  );
}

function record(handler: string, payload: unknown, ctx: Context): void {
  nucEvents.push({
    namespace: ctx.broker.namespace,
    node: ctx.broker.nodeID,
    handler,
    payload,
    sender: ctx.nodeID,
    eventType: ctx.eventType,
    groups: ctx.eventGroups,
    meta: { ...ctx.meta },
    headers: { ...ctx.headers },
  });
}

export class StrictParams {
  @IsInt() @Min(0) n!: number;
}

export interface EchoResult {
  params: unknown;
  meta: Meta;
  caller: string | null;
  level: number;
  from: string;
}

@Service({ name: "nuc" })
export class NucService {
  /** Returns what it got and sets `meta.nucSaw` (which must travel back to the caller). */
  @Action({ params: false })
  echo(params: unknown, ctx: Context): EchoResult {
    ctx.meta.nucSaw = true;
    return { params, meta: { ...ctx.meta }, caller: ctx.caller, level: ctx.level, from: ctx.nodeID };
  }

  /** Returns the call's headers and answers with response headers (protocol v5 carries both). */
  @Action({ params: false })
  headers(_params: unknown, ctx: Context): { headers: Record<string, unknown> } {
    ctx.responseHeaders = { fromNuc: true, got: Object.keys(ctx.headers).length };
    return { headers: { ...ctx.headers } };
  }

  /** A DTO that rejects negative numbers with a ValidationError. */
  @Action()
  strict(p: StrictParams): number {
    return p.n;
  }

  /** Calls the peer's `peer.meta` from inside a context, to see its meta changes merged into ours. */
  @Action({ params: false })
  async relayMeta(_params: unknown, ctx: Context): Promise<{ peer: unknown; meta: Meta }> {
    const peer = await ctx.call("peer.meta", {}, { meta: { fromNuc: 1 } });
    return { peer, meta: { ...ctx.meta } };
  }

  @Event("test.evt", { group: "nucgrp" })
  onEvt(payload: unknown, ctx: Context): void {
    record("nuc", payload, ctx);
  }
}

/** A second handler in the same group: an emit runs one of the two, a broadcast both. */
@Service({ name: "nuc2" })
export class Nuc2Service {
  @Event("test.evt", { group: "nucgrp" })
  onEvt(payload: unknown, ctx: Context): void {
    record("nuc2", payload, ctx);
  }
}

@Service({ name: "nucWatch" })
export class NucWatchService {
  @Event("$node.connected")
  connected(payload: { node: { id: string }; reconnected: boolean }, ctx: Context): void {
    const { namespace, nodeID } = ctx.broker;
    nucNodeEvents.push({ namespace, node: nodeID, event: "$node.connected", nodeID: payload.node.id, reconnected: payload.reconnected });
  }

  @Event("$node.disconnected")
  disconnected(payload: { node: { id: string }; unexpected: boolean }, ctx: Context): void {
    const { namespace, nodeID } = ctx.broker;
    nucNodeEvents.push({ namespace, node: nodeID, event: "$node.disconnected", nodeID: payload.node.id, unexpected: payload.unexpected });
  }
}

export interface NucleonNode {
  broker: ServiceBroker;
  /** Warnings and errors it logged (printed on failure, not asserted). */
  logs: Array<Record<string, unknown>>;
}

/** A nucleon node with the interop settings of the brief (heartbeat 1/3 s, requestTimeout 5 s, discoverWait 200 ms). */
export function createNucleon(options: {
  nodeID: string;
  namespace: string;
  transporter: BrokerOptions["transporter"];
  serializer: SerializerName;
  disableVersionCheck?: boolean;
  protocolVersion?: "4" | "5";
  services?: Array<new (...args: never[]) => object>;
}): NucleonNode {
  const logs: NucleonNode["logs"] = [];
  const logger = pino({ level: "warn" }, { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const broker = new ServiceBroker({
    nodeID: options.nodeID,
    namespace: options.namespace,
    transporter: options.transporter,
    serializer: options.serializer,
    logger,
    requestTimeout: 5000,
    heartbeatInterval: 1,
    heartbeatTimeout: 3,
    protocolVersion: options.protocolVersion,
    transit: { discoverWait: 200, disableVersionCheck: options.disableVersionCheck ?? false },
  });
  broker.register(...((options.services ?? [NucService, Nuc2Service, NucWatchService]) as never[]));
  return { broker, logs };
}

/** Polls `check` until it holds; the error names `what`. */
export function waitUntil(check: () => boolean, timeoutMs: number, what: string): Promise<void> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const tick = () => {
      if (check()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`));
      setTimeout(tick, 20);
    };
    tick();
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
