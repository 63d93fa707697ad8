import { Context, ServiceBroker } from "nucleon";
import { outgoingPackets } from "../../lib/transit/outgoing-packets";

const broker = new ServiceBroker({ nodeID: "out", logger: false });

function callContext(): Context {
  const ctx = new Context(broker, { a: 1 }, {});
  ctx.action = { name: "math.add", rawName: "add", options: {} };
  return ctx;
}

function eventContext(): Context {
  const ctx = new Context(broker, { id: 1 }, {});
  ctx.eventName = "user.created";
  return ctx;
}

/** The fields Moleculer 0.14 sends, in its order. */
const REQ_V4 = ["ver", "sender", "id", "action", "params", "meta", "timeout", "level", "tracing", "parentID", "requestID", "caller", "stream"];
const EVENT_V4 = ["ver", "sender", "id", "event", "data", "broadcast", "meta", "level", "tracing", "parentID", "requestID", "caller", "needAck", "groups"];

describe("outgoing packets per protocol version", () => {
  it('"4": exactly the fields Moleculer 0.14 sends, no headers even when the context has some', () => {
    const v4 = outgoingPackets("4");
    const ctx = callContext();
    ctx.headers = { h: 1 };
    const req = v4.request("out", ctx);
    expect(Object.keys(req)).toEqual(REQ_V4);
    expect(req).toMatchObject({ ver: "4", action: "math.add", params: { a: 1 }, meta: {}, stream: false });
    const event = v4.event("out", eventContext(), ["g"], false);
    expect(Object.keys(event)).toEqual(EVENT_V4);
    expect(event).toMatchObject({ ver: "4", event: "user.created", groups: ["g"] });
  });

  it('"5": ver "5" and the context\'s headers, a fresh {} when it has none', () => {
    const v5 = outgoingPackets("5");
    const ctx = callContext();
    const bare = v5.request("out", ctx);
    expect(bare.ver).toBe("5");
    expect(bare.headers).toEqual({});
    // Fresh per packet: a transitPublish middleware may add to it without touching the next packet.
    expect(v5.request("out", ctx).headers).not.toBe(bare.headers);
    // No headers object was made for the context on the way.
    expect(ctx.hasHeaders).toBe(false);
    ctx.headers = { auth: "t" };
    expect(v5.request("out", ctx)).toMatchObject({ ver: "5", headers: { auth: "t" } });
    expect(Object.keys(v5.request("out", ctx))).toEqual([...REQ_V4.slice(0, 6), "headers", ...REQ_V4.slice(6)]);

    const ev = eventContext();
    expect(v5.event("out", ev, null, true)).toMatchObject({ ver: "5", broadcast: true, headers: {} });
    ev.headers = { trace: 7 };
    const event = v5.event("out", ev, null, true);
    expect(event.headers).toEqual({ trace: 7 });
    expect(event).not.toHaveProperty("groups");
  });
});
