import type { Logger } from "pino";
import { BrokerOptionsError } from "../errors";

/**
 * Two brokers with one nodeID on one namespace would both serve the same
 * calls. Their INFO and DISCOVER packets carry an `instanceID`: a node that
 * sees its own nodeID with another instanceID knows it has a twin. The one
 * still starting gives up (`start()` rejects); the running one answers with
 * its INFO so the newcomer sees it (a Moleculer newcomer exits on that INFO,
 * as Moleculer does on a conflict).
 */
export class NodeIdConflict {
  /** Set once a running twin was seen while we were starting. */
  error: BrokerOptionsError | null = null;
  /** Twins already answered: two running nodes answer each other once, not forever. */
  private readonly answered = new Set<string>();

  constructor(
    private readonly nodeID: string,
    private readonly instanceID: string,
    private readonly logger: Logger,
    private readonly answer: () => void,
  ) {}

  /** A packet with our nodeID as sender; `running`: our services are announced. */
  check(cmd: "INFO" | "DISCOVER", instanceID: unknown, running: boolean): void {
    // A DISCOVER without instanceID (Moleculer's, or our own echo) tells nothing.
    if (typeof instanceID !== "string" || instanceID === this.instanceID) return;
    if (!running) {
      // Only an INFO proves the twin runs; its DISCOVER alone would make two newcomers both give up.
      if (cmd !== "INFO" || this.error !== null) return;
      this.error = new BrokerOptionsError(
        `ServiceBroker has detected a nodeID conflict: another node already runs as '${this.nodeID}' on this namespace. Use unique nodeIDs.`,
        { nodeID: this.nodeID, instanceID },
      );
      this.logger.fatal({ nodeID: this.nodeID, other: instanceID }, "nodeID conflict: another node runs with this nodeID; this one does not start");
      return;
    }
    if (this.answered.has(instanceID)) return;
    this.answered.add(instanceID);
    this.logger.error({ nodeID: this.nodeID, other: instanceID }, "Another node tries to run with this nodeID; answering so it stops");
    this.answer();
  }
}
