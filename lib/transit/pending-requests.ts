import { RequestRejectedError, RequestTimeoutError } from "../errors";
import type { Context } from "./transit-host";

/** Node id of the stand-in endpoint used when the transporter balances: any node may answer. */
export const BALANCED_NODE = "";

/** A request waiting for its RES. */
export class Pending {
  timer: NodeJS.Timeout | null = null;
  constructor(
    readonly ctx: Context,
    readonly id: string,
    readonly nodeID: string,
    readonly resolve: (value: unknown) => void,
    readonly reject: (err: unknown) => void,
    private readonly onTimeout: (p: Pending) => void,
  ) {}

  fire(): void {
    this.timer = null;
    this.onTimeout(this);
  }
}

/** Requests sent and waiting for their RES, by context id. */
export class PendingRequests {
  private readonly map = new Map<string, Pending>();
  /** Told after a request timed out (transit probes the node). */
  onTimedOut: ((nodeID: string) => void) | null = null;

  private readonly timedOut = (p: Pending): void => {
    if (this.map.get(p.id) !== p) return;
    this.map.delete(p.id);
    p.reject(new RequestTimeoutError({ action: p.ctx.action?.name ?? "", nodeID: p.nodeID }));
    this.onTimedOut?.(p.nodeID);
  };

  get size(): number {
    return this.map.size;
  }

  /** Registers a request; rejects with `RequestTimeoutError` after `ctx.timeout` ms when set. */
  add(ctx: Context, nodeID: string, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    const pending = new Pending(ctx, ctx.id, nodeID, resolve, reject, this.timedOut);
    // A precise timer here (not the bucketed deadlines): the remote node runs
    // the same timeout, and ours must fire first so the error names that node.
    // Its ~0.3 µs is noise next to a network round trip.
    if (ctx.timeout > 0) pending.timer = setTimeout(() => pending.fire(), ctx.timeout);
    this.map.set(pending.id, pending);
  }

  /** The request is alive (its request stream moved on): its timeout starts again. */
  touch(id: string): void {
    this.map.get(id)?.timer?.refresh();
  }

  /** Takes the pending request out (a RES arrived); undefined for an orphan. */
  take(id: string): Pending | undefined {
    const pending = this.map.get(id);
    if (pending === undefined) return undefined;
    this.map.delete(id);
    if (pending.timer !== null) clearTimeout(pending.timer);
    return pending;
  }

  /**
   * Takes out the request a RES answers, if `sender` is the node it went to
   * (any node for a balanced request): `undefined` for an orphan, `null` when
   * another node answered it (a forgery, or a confused peer), which leaves the
   * request waiting for the real answer.
   */
  takeAnswer(id: string, sender: string): Pending | undefined | null {
    const pending = this.map.get(id);
    if (pending === undefined) return undefined;
    if (pending.nodeID !== sender && pending.nodeID !== BALANCED_NODE) return null;
    this.map.delete(id);
    if (pending.timer !== null) clearTimeout(pending.timer);
    return pending;
  }

  /** Rejects every request sent to a node that left, so retries pick another one. */
  rejectNode(nodeID: string): number {
    let count = 0;
    for (const [id, p] of this.map) {
      if (p.nodeID !== nodeID) continue;
      this.take(id);
      p.reject(new RequestRejectedError({ action: p.ctx.action?.name ?? "", nodeID }));
      count++;
    }
    return count;
  }

  rejectAll(makeError: (p: Pending) => Error): void {
    for (const [id, p] of this.map) {
      this.take(id);
      p.reject(makeError(p));
    }
  }

  /** Resolves once nothing is pending (or immediately). */
  async drained(pollMs = 10): Promise<void> {
    while (this.map.size > 0) await new Promise((r) => setTimeout(r, pollMs));
  }
}
