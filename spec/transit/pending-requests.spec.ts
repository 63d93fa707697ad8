import type { Context } from "../../lib/context/context";
import { BALANCED_NODE, PendingRequests } from "../../lib/transit/pending-requests";

const ctx = (id: string) => ({ id, timeout: 0, action: { name: "x.y" } }) as unknown as Context;

describe("PendingRequests.takeAnswer", () => {
  it("gives the request only to the node it went to", () => {
    const pending = new PendingRequests();
    const resolve = jest.fn();
    pending.add(ctx("1"), "node-b", resolve, jest.fn());
    expect(pending.takeAnswer("1", "mallory")).toBeNull();
    expect(pending.size).toBe(1);
    expect(pending.takeAnswer("1", "node-b")?.resolve).toBe(resolve);
    expect(pending.size).toBe(0);
    expect(pending.takeAnswer("1", "node-b")).toBeUndefined();
  });

  it("lets any node answer a balanced request", () => {
    const pending = new PendingRequests();
    pending.add(ctx("2"), BALANCED_NODE, jest.fn(), jest.fn());
    expect(pending.takeAnswer("2", "whoever")).toBeDefined();
  });
});
