import type { SelectableEndpoint, Strategy } from "./strategy";

export class RandomStrategy implements Strategy {
  select<E extends SelectableEndpoint>(endpoints: readonly E[]): E {
    return endpoints[Math.floor(Math.random() * endpoints.length)];
  }
}
