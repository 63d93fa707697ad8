import type { Context } from "nucleon";
import { HandlerChains } from "../../lib/middleware/handler-chains";
import { isFulfilled } from "../../lib/middleware/fulfilled";
import { ActionEndpoint, ServiceItem } from "../../lib/registry/endpoint";
import { NodeInfo } from "../../lib/registry/node";

function actionEndpoint(): ActionEndpoint {
  const node = new NodeInfo("n1", true);
  const item: ServiceItem = { name: "s", fullName: "s", settings: {}, metadata: {}, node, local: true };
  return new ActionEndpoint(node, item, { name: "s.a", rawName: "a", method: "a", visibility: "published", options: {} }, () => Promise.reject(new Error("unset")));
}

const ctx = { params: { x: 2 } } as Context;

describe("fulfilled marks (the synchronous fast path of metrics and tracing)", () => {
  const chain = (fn: (p: { x: number }) => unknown) => new HandlerChains({ list: [] }).localAction({ fn: fn as never, instance: {} }, actionEndpoint(), null);

  it("marks the promise of a synchronous handler's plain value, passed on unchanged", async () => {
    const p = chain((p) => p.x * 2)(ctx);
    expect(isFulfilled(p)).toBe(true);
    await expect(p).resolves.toBe(4);
  });

  it("does not mark an async handler's promise, a thenable's, a throw's, or a promise a middleware made anew", async () => {
    const asyncResult = chain(async (p) => p.x)(ctx);
    expect(isFulfilled(asyncResult)).toBe(false);
    const thenable = chain(() => ({ then: (ok: (v: number) => void) => setTimeout(() => ok(7), 1) }))(ctx);
    expect(isFulfilled(thenable)).toBe(false);
    await expect(thenable).resolves.toBe(7);
    const thrown = chain(() => {
      throw new Error("boom");
    })(ctx);
    expect(isFulfilled(thrown)).toBe(false);
    await expect(thrown).rejects.toThrow("boom");
    const rewrapped = chain((p) => p.x)(ctx).then((v) => v);
    expect(isFulfilled(rewrapped)).toBe(false);
    await expect(asyncResult).resolves.toBe(2);
  });
});
