import { RoundRobinStrategy } from "nucleon";
import { EndpointList } from "../../lib/registry/endpoint-list";

interface Ep {
  id: string;
  local: boolean;
  available: boolean;
  node: { cpu: number | null };
}
const ep = (id: string, local = false): Ep => ({ id, local, available: true, node: { cpu: null } });

describe("EndpointList", () => {
  it("prefers a local endpoint when asked to", () => {
    const list = new EndpointList<Ep>("a", null, new RoundRobinStrategy(), true);
    list.add(ep("remote1"));
    list.add(ep("local", true));
    list.add(ep("remote2"));
    for (let i = 0; i < 5; i++) expect(list.next()!.id).toBe("local");
  });

  it("balances across all nodes when preferLocal is off", () => {
    const list = new EndpointList<Ep>("a", null, new RoundRobinStrategy(), false);
    ["n1", "n2", "n3"].forEach((id) => list.add(ep(id)));
    expect([1, 2, 3, 4, 5, 6].map(() => list.next()!.id)).toEqual(["n1", "n2", "n3", "n1", "n2", "n3"]);
  });

  it("skips unavailable endpoints and returns null when none is left", () => {
    const list = new EndpointList<Ep>("a", null, new RoundRobinStrategy(), true);
    const local = ep("local", true);
    list.add(local);
    list.add(ep("r1"));
    local.available = false;
    expect(list.next()!.id).toBe("r1");
    list.endpoints.forEach((e) => (e.available = false));
    expect(list.next()).toBeNull();
  });

  it("replaces a node's endpoint and removes by node", () => {
    const list = new EndpointList<Ep>("a", null, new RoundRobinStrategy(), true);
    list.add(ep("n1"));
    list.add(ep("n1"));
    expect(list.size).toBe(1);
    list.removeByNode("n1");
    expect(list.size).toBe(0);
    expect(list.getByNode("n1")).toBeUndefined();
  });
});
