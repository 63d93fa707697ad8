import { checkPacket } from "../../lib/transit/packet-guards";
import type { PacketCommand } from "../../lib/transporters/packet-command";

const base = { ver: "4", sender: "peer" };

/** A packet of each command as Moleculer 0.14 sends it. */
const GOOD: Record<Exclude<PacketCommand, "REQB" | "EVENTB">, Record<string, unknown>> = {
  REQ: {
    ...base,
    id: "r1",
    action: "math.add",
    params: { a: 1 },
    meta: {},
    timeout: 1499.79,
    level: 1,
    tracing: null,
    parentID: null,
    requestID: "r1",
    caller: null,
    stream: false,
  },
  RES: { ...base, id: "r1", success: true, data: 3, meta: {} },
  EVENT: {
    ...base,
    id: "e1",
    event: "user.created",
    data: { id: 1 },
    groups: ["users"],
    broadcast: false,
    meta: {},
    level: 1,
    tracing: null,
    parentID: null,
    requestID: "e0",
    caller: "users",
    needAck: null,
  },
  INFO: {
    ...base,
    services: [{ name: "math", fullName: "math", settings: {}, metadata: {}, actions: {}, events: {} }],
    ipList: ["192.0.2.2"],
    hostname: "vm",
    client: { type: "nodejs", version: "0.14.36", langVersion: "v20" },
    config: {},
    instanceID: "i-1",
    metadata: {},
    seq: 2,
  },
  DISCOVER: { ...base },
  HEARTBEAT: { ...base, cpu: 12 },
  PING: { ...base, time: 1700000000000, id: "p1" },
  PONG: { ...base, time: 1700000000000, id: "p1", arrived: 1700000000003 },
  DISCONNECT: { ...base },
};

/** Per command: fields that must be there, and a value of the wrong type for each field the guard types. */
const REQUIRED: Record<keyof typeof GOOD, string[]> = {
  REQ: ["id", "action"],
  RES: ["id", "success"],
  EVENT: ["event"],
  INFO: ["services"],
  DISCOVER: [],
  HEARTBEAT: [],
  PING: ["time"],
  PONG: ["time", "id", "arrived"],
  DISCONNECT: [],
};

const MISTYPED: Record<keyof typeof GOOD, Record<string, unknown>> = {
  REQ: { id: 1, action: ["a"], meta: "m", headers: "h", timeout: "5", level: "1", tracing: 1, parentID: 2, requestID: 3, caller: {}, stream: "no", seq: "1" },
  RES: { id: 1, success: "yes", meta: [], headers: [1], stream: 1, seq: "2" },
  EVENT: { event: 5, id: 1, groups: "g", broadcast: "yes", meta: 1, headers: 5, level: "1", tracing: "x", parentID: 1, requestID: 1, caller: 1 },
  INFO: { services: "none", ipList: [1], hostname: 1, client: { type: "nodejs" }, config: "c", instanceID: 1, metadata: [1], seq: "2" },
  DISCOVER: { instanceID: 7 },
  HEARTBEAT: { cpu: "hot" },
  PING: { time: "now", id: 1 },
  PONG: { time: "now", id: 1, arrived: "then" },
  DISCONNECT: { instanceID: 7 },
};

const commands = Object.keys(GOOD) as (keyof typeof GOOD)[];

describe("packet guards", () => {
  describe.each(commands)("%s", (cmd) => {
    it("accepts the packet as Moleculer sends it, typed by command", () => {
      const packet = checkPacket(cmd, GOOD[cmd]);
      expect(packet).toEqual({ cmd, payload: GOOD[cmd] });
    });

    it("accepts only ver and sender beside the required fields (optional fields may be absent or null)", () => {
      const minimal: Record<string, unknown> = { ...base };
      for (const field of REQUIRED[cmd]) minimal[field] = GOOD[cmd][field];
      expect(checkPacket(cmd, minimal)).toMatchObject({ cmd });
      const nulls: Record<string, unknown> = { ...minimal };
      for (const field of Object.keys(MISTYPED[cmd])) if (!REQUIRED[cmd].includes(field)) nulls[field] = null;
      expect(checkPacket(cmd, nulls)).toMatchObject({ cmd });
    });

    it.each(REQUIRED[cmd].length > 0 ? REQUIRED[cmd] : ["(none)"])("refuses it without %s, naming the field", (field) => {
      if (field === "(none)") return expect(REQUIRED[cmd]).toEqual([]);
      const { [field]: _, ...rest } = GOOD[cmd];
      expect(checkPacket(cmd, rest)).toBe(field);
    });

    it.each(Object.keys(MISTYPED[cmd]))("refuses a mistyped %s, naming the field", (field) => {
      expect(checkPacket(cmd, { ...GOOD[cmd], [field]: MISTYPED[cmd][field] })).toBe(field);
    });

    it("refuses a payload that is not an object, or lacks sender or ver", () => {
      for (const payload of [null, 42, "x", [GOOD[cmd]]]) expect(checkPacket(cmd, payload)).toBe("payload");
      expect(checkPacket(cmd, { ...GOOD[cmd], sender: "" })).toBe("sender");
      expect(checkPacket(cmd, { ...GOOD[cmd], sender: 5 })).toBe("sender");
      const { ver: _, ...noVer } = GOOD[cmd];
      expect(checkPacket(cmd, noVer)).toBe("ver");
    });
  });

  it("reads REQB and EVENTB payloads as REQ and EVENT", () => {
    expect(checkPacket("REQB", GOOD.REQ)).toEqual({ cmd: "REQB", payload: GOOD.REQ });
    expect(checkPacket("EVENTB", GOOD.EVENT)).toEqual({ cmd: "EVENTB", payload: GOOD.EVENT });
    expect(checkPacket("REQB", { ...GOOD.REQ, action: 1 })).toBe("action");
    expect(checkPacket("EVENTB", { ...GOOD.EVENT, event: null })).toBe("event");
  });

  it("needs seq in a stream REQ, and an error object in a failed RES", () => {
    expect(checkPacket("REQ", { ...GOOD.REQ, stream: true })).toBe("seq");
    expect(checkPacket("REQ", { ...GOOD.REQ, stream: true, seq: 0 })).toMatchObject({ cmd: "REQ" });
    expect(checkPacket("RES", { ...GOOD.RES, success: false })).toBe("error");
    expect(checkPacket("RES", { ...GOOD.RES, success: false, error: "boom" })).toBe("error");
    expect(checkPacket("RES", { ...GOOD.RES, success: false, error: { name: "E", message: "boom" } })).toMatchObject({ cmd: "RES" });
  });

  it("needs every INFO service to be an object with a name", () => {
    expect(checkPacket("INFO", { ...GOOD.INFO, services: [null] })).toBe("services[].name");
    expect(checkPacket("INFO", { ...GOOD.INFO, services: [{ fullName: "x" }] })).toBe("services[].name");
    expect(checkPacket("INFO", { ...GOOD.INFO, services: [] })).toMatchObject({ cmd: "INFO" });
  });

  it("takes v5 packets as Moleculer 0.15 sends them: headers an object, or null on a RES whose handler never ran", () => {
    const v5 = { ver: "5", headers: { auth: "t", n: 1 } };
    for (const cmd of ["REQ", "RES", "EVENT"] as const) {
      const packet = { ...GOOD[cmd], ...v5 };
      expect(checkPacket(cmd, packet)).toEqual({ cmd, payload: packet });
      expect(checkPacket(cmd, { ...packet, headers: {} })).toMatchObject({ cmd });
      expect(checkPacket(cmd, { ...packet, headers: [] })).toBe("headers");
      expect(checkPacket(cmd, { ...packet, headers: "x" })).toBe("headers");
    }
    const failed = { ...GOOD.RES, ver: "5", success: false, data: null, error: { name: "E", message: "m" }, headers: null };
    expect(checkPacket("RES", failed)).toMatchObject({ cmd: "RES" });
  });
});
