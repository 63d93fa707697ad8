import type { Context } from "../broker/context";
import { RequestRejectedError, RequestTimeoutError } from "../errors";

interface Pending {
  ctx: Context;
  nodeID: string;
  resolve: (value: unknown) => void;
  reject: (err: unknown) => void;
  timer: NodeJS.Timeout | null;
}

/** Requests sent and waiting for their RES, by context id. */
export class PendingRequests {
  private readonly map = new Map<string, Pending>();

  get size(): number {
    return this.map.size;
  }

  /** Registers a request; rejects with `RequestTimeoutError` after `ctx.timeout` ms when set. */
  add(ctx: Context, nodeID: string, resolve: (v: unknown) => void, reject: (e: unknown) => void): void {
    const id = ctx.id;
    let timer: NodeJS.Timeout | null = null;
    if (ctx.timeout > 0) {
      timer = setTimeout(() => {
        this.map.delete(id);
        reject(new RequestTimeoutError({ action: ctx.action?.name ?? "", nodeID }));
      }, ctx.timeout);
    }
    this.map.set(id, { ctx, nodeID, resolve, reject, timer });
  }

  /** Takes the pending request out (a RES arrived); undefined for an orphan. */
  take(id: string): Pending | undefined {
    const pending = this.map.get(id);
    if (pending === undefined) return undefined;
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
