import type { Middleware, OutgoingPacket } from "nucleon";

/**
 * Compile-time checks of the transit hooks' types: the `@ts-expect-error`
 * lines fail type-checking if the types ever stop catching them.
 */
const typed: Middleware = {
  transitPublish: (next) => (packet: OutgoingPacket) => {
    // The packet type narrows the payload.
    if (packet.type === "REQ") packet.payload.action.toUpperCase();
    if (packet.type === "RES") void packet.target.length;
    // @ts-expect-error an EVENT payload has no `action`
    if (packet.type === "EVENT") void packet.payload.action;
    return next(packet);
  },
  // @ts-expect-error transporterSend must pass a Buffer on
  transporterSend: (next) => (topic, data, meta) => next(topic, data.toString(), meta),
  transporterReceive: (next) => (cmd, data, source) => {
    // @ts-expect-error the command is a packet command, not any string
    if (cmd === "GOSSIP_REQ") return;
    return next(cmd, data, source);
  },
};

describe("transit hook types", () => {
  it("compile", () => {
    expect(Object.keys(typed)).toEqual(["transitPublish", "transporterSend", "transporterReceive"]);
  });
});
