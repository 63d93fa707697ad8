import type { Discovery } from "./discovery";
import type { PendingRequests } from "./pending-requests";
import type { PongResult } from "./pinger";
import type { TransitHost } from "./transit-host";

/** `undefined`: the node is not to be probed (a balanced request, or we are offline). */
export type Probe = (nodeID: string, timeout: number) => Promise<PongResult | null | undefined>;

/** Wires transit's request timeouts to a probe of the node that did not answer. */
export function probeNodesOnTimeout(
  pending: PendingRequests,
  discovery: Discovery,
  host: Pick<TransitHost, "nodes" | "logger">,
  window: number,
  ping: Probe,
): void {
  const suspects = new SuspectNodes(
    ping,
    window,
    (nodeID) => host.nodes.get(nodeID)?.available === true,
    (nodeID) => {
      host.logger.warn({ nodeID }, "A node did not answer a ping after a request timeout: unavailable until it is heard from again");
      discovery.disconnected(nodeID, true);
    },
  );
  pending.onTimedOut = (nodeID) => suspects.requestTimedOut(nodeID);
}

/**
 * A request that timed out may mean its node died silently (kill -9, a cut
 * cable): waiting for the heartbeat timeout (30 s) would keep routing calls
 * to it. So the node is pinged at once; no PONG within the window takes it
 * out of selection until it is heard from again (heartbeat, INFO or PONG).
 * One probe per node at a time, however many requests timed out together.
 */
export class SuspectNodes {
  private readonly probing = new Set<string>();

  constructor(
    private readonly ping: Probe,
    /** ms to wait for the PONG; 0 turns probing off. */
    private readonly window: number,
    private readonly isAvailable: (nodeID: string) => boolean,
    private readonly markUnavailable: (nodeID: string) => void,
  ) {}

  /**
   * A request to `nodeID` timed out. The window is not capped by the request's
   * timeout: a 10 ms timeout must not make a live node look dead.
   */
  requestTimedOut(nodeID: string): void {
    if (this.window <= 0 || this.probing.has(nodeID) || !this.isAvailable(nodeID)) return;
    this.probing.add(nodeID);
    void this.ping(nodeID, this.window).then((pong) => {
      this.probing.delete(nodeID);
      if (pong === null && this.isAvailable(nodeID)) this.markUnavailable(nodeID);
    });
  }
}
