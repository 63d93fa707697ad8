import type { NodeInfo } from "../../registry/node";

export { TransitStreams, type StreamsHost } from "./transit-streams";

/**
 * The INFO field in which a nucleon node announces its stream credit window
 * (chunks). Moleculer ignores unknown INFO fields, and a node that does not
 * announce one (Moleculer) is never sent credit packets nor waited on.
 */
export const STREAM_WINDOW_FIELD = "streamWindow";

/** The window a node announced; 0 when it grants no credit. */
export function peerWindow(node: NodeInfo | undefined): number {
  const w = node?.rawInfo?.[STREAM_WINDOW_FIELD];
  return typeof w === "number" && Number.isSafeInteger(w) && w > 0 ? w : 0;
}
