import { EndpointList } from "../../lib/registry/endpoint-list";
import { NodeInfo } from "../../lib/registry/node";
import type { SelectionContext } from "nucleon";

/** What EndpointList needs of an endpoint, over a real registry NodeInfo. */
export interface FakeEndpoint {
  id: string;
  local: boolean;
  available: boolean;
  node: NodeInfo;
}

export function endpoint(id: string, init: { cpu?: number | null; latency?: number | null; local?: boolean } = {}): FakeEndpoint {
  const local = init.local ?? false;
  const node = new NodeInfo(id, local);
  node.cpu = init.cpu ?? null;
  node.latency = init.latency ?? null;
  return { id, local, available: true, node };
}

/** A 3-node cluster as the registry holds it: one endpoint list for one action. */
export function cluster(
  strategy: ConstructorParameters<typeof EndpointList<FakeEndpoint>>[2],
  endpoints: FakeEndpoint[],
): EndpointList<FakeEndpoint> {
  const list = new EndpointList<FakeEndpoint>("orders.get", null, strategy, false);
  for (const e of endpoints) list.add(e);
  return list;
}

/** mulberry32: a tiny seeded PRNG, so `Math.random`-driven sampling is repeatable. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function seedMathRandom(seed: number): jest.SpyInstance<number, []> {
  return jest.spyOn(Math, "random").mockImplementation(seededRandom(seed));
}

export function countBy(ids: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const id of ids) counts[id] = (counts[id] ?? 0) + 1;
  return counts;
}

export function call(params: unknown, meta: Record<string, unknown> = {}, options: SelectionContext["options"] = {}): SelectionContext {
  return { params, meta, options };
}
