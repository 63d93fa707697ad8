import type { SelectableEndpoint, Strategy } from "./strategy";

/** Each endpoint in turn (Moleculer's default). */
export class RoundRobinStrategy implements Strategy {
  private counter = 0;

  select<E extends SelectableEndpoint>(endpoints: readonly E[]): E {
    if (this.counter >= endpoints.length) this.counter = 0;
    return endpoints[this.counter++];
  }
}
