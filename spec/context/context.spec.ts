import { Context, ServiceBroker } from "nucleon";

describe("Context", () => {
  const broker = new ServiceBroker({ nodeID: "ctx", logger: false });

  it("makes ids lazily, and a root's requestID is its id", () => {
    const ctx = new Context(broker, { a: 1 }, {});
    const id = ctx.id;
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    expect(ctx.id).toBe(id);
    expect(ctx.requestID).toBe(id);
    expect(ctx.hasMeta).toBe(false);
    ctx.meta.x = 1;
    expect(ctx.hasMeta).toBe(true);
  });

  it("inherits ids, level, meta and caller from a parent", () => {
    const parent = new Context(broker, {}, {});
    parent.meta = { user: "u" };
    parent.service = { name: "svc", fullName: "v1.svc", version: 1 };
    const child = new Context(broker, {}, {});
    child.inherit(parent, { extra: true });
    expect(child.parentID).toBe(parent.id);
    expect(child.requestID).toBe(parent.requestID);
    expect(child.level).toBe(2);
    expect(child.caller).toBe("v1.svc");
    expect(child.meta).toEqual({ user: "u", extra: true });
    expect(child.meta).not.toBe(parent.meta);
  });

  it("forks share one lazily generated id", () => {
    const base = new Context(broker, {}, {});
    const a = base.fork();
    const b = base.fork();
    expect(a.id).toBe(b.id);
    expect(base.id).toBe(a.id);
    expect(a.requestID).toBe(base.id);
  });

  it("serializes to a plain object", () => {
    const ctx = new Context(broker, { p: 1 }, {});
    expect(ctx.toJSON()).toMatchObject({ params: { p: 1 }, level: 1, nodeID: "ctx", meta: {} });
    expect(ctx.locals).toEqual({});
  });
});
