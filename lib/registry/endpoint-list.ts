import type { SelectableEndpoint, SelectionContext, Strategy } from "../strategies/strategy";

/**
 * The endpoints of one action (or one event group) across nodes, and the
 * strategy that picks among them. Kept in local/all arrays so the common
 * single-local-endpoint case is one array read.
 */
export class EndpointList<E extends SelectableEndpoint & { available: boolean }> {
  endpoints: E[] = [];
  localEndpoints: E[] = [];

  constructor(
    readonly name: string,
    readonly group: string | null,
    private readonly strategy: Strategy,
    private readonly preferLocal: boolean,
  ) {}

  add(endpoint: E): void {
    this.endpoints = this.endpoints.filter((e) => e.id !== endpoint.id).concat(endpoint);
    this.localEndpoints = this.endpoints.filter((e) => e.local);
  }

  removeByNode(nodeID: string): void {
    this.endpoints = this.endpoints.filter((e) => e.id !== nodeID);
    this.localEndpoints = this.endpoints.filter((e) => e.local);
  }

  get size(): number {
    return this.endpoints.length;
  }

  hasLocal(): boolean {
    return this.localEndpoints.length > 0;
  }

  getByNode(nodeID: string): E | undefined {
    return this.endpoints.find((e) => e.id === nodeID);
  }

  /** Picks an available endpoint; `null` when none is available (all open, or none left). */
  next(ctx?: SelectionContext): E | null {
    if (this.preferLocal) {
      const local = this.localEndpoints;
      if (local.length === 1 && local[0].available) return local[0];
      if (local.length > 1) {
        const picked = this.pick(local, ctx);
        if (picked) return picked;
      }
    }
    const all = this.endpoints;
    if (all.length === 1) return all[0].available ? all[0] : null;
    return this.pick(all, ctx);
  }

  /**
   * Like `next`, but never `nodeID`'s endpoint (a retry after it failed);
   * `null` when no other endpoint is available. Allocates: retries only.
   */
  nextExcept(nodeID: string, ctx?: SelectionContext): E | null {
    const others = this.endpoints.filter((e) => e.available && e.id !== nodeID);
    if (others.length === 0) return null;
    if (this.preferLocal) {
      const local = others.filter((e) => e.local);
      if (local.length > 0) return local.length === 1 ? local[0] : this.strategy.select(local, ctx);
    }
    return others.length === 1 ? others[0] : this.strategy.select(others, ctx);
  }

  private pick(list: E[], ctx?: SelectionContext): E | null {
    let available = list;
    for (let i = 0; i < list.length; i++) {
      if (!list[i].available) {
        available = list.filter((e) => e.available);
        break;
      }
    }
    if (available.length === 0) return null;
    if (available.length === 1) return available[0];
    return this.strategy.select(available, ctx);
  }
}
