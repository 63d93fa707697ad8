import { Errors as Mol, ServiceBroker } from "moleculer";
import {
  BrokerDisconnectedError,
  BrokerOptionsError,
  GracefulStopTimeoutError,
  InvalidPacketDataError,
  MaxCallLevelError,
  NucleonClientError,
  NucleonError,
  NucleonRetryableError,
  NucleonServerError,
  ProtocolVersionMismatchError,
  QueueIsFullError,
  RequestRejectedError,
  RequestSkippedError,
  RequestTimeoutError,
  ServiceNotAvailableError,
  ServiceNotFoundError,
  ServiceSchemaError,
  ValidationError,
} from "../../lib/errors";
import { type ErrorPayload, errorToPayload, payloadToError } from "../../lib/errors/codec";
import { JSONSerializer, MsgPackSerializer, type Serializer } from "../../lib/serializers";

type ErrorClass = abstract new (...args: never[]) => Error;

/** In Moleculer 0.14's runtime, missing from its typings. */
const MolBrokerDisconnectedError = (Mol as unknown as { BrokerDisconnectedError: new () => Error })
  .BrokerDisconnectedError;

const PAYLOAD_KEYS = ["code", "data", "message", "name", "nodeID", "retryable", "stack", "type"];
const action = { action: "posts.find", nodeID: "node-2" };
const validationData = [{ type: "required", field: "name", message: "The 'name' field is required.", actual: "" }];

interface Case {
  /** Name on the wire (Moleculer's). */
  wireName: string;
  ours: () => NucleonError;
  ourClass: ErrorClass;
  /** The same error built by Moleculer 0.14. */
  theirs: () => Error;
  theirClass: ErrorClass;
  /** Known, accepted differences from Moleculer. */
  quirks?: { dataShape?: true; notInMoleculerTable?: true };
}

const CASES: Case[] = [
  {
    wireName: "MoleculerError",
    ours: () => new NucleonError("Boom", 501, "BOOM", { a: 1 }),
    ourClass: NucleonError,
    theirs: () => new Mol.MoleculerError("Boom", 501, "BOOM", { a: 1 }),
    theirClass: Mol.MoleculerError,
  },
  {
    wireName: "MoleculerRetryableError",
    ours: () => new NucleonRetryableError("Try again", 503, "RETRY", { a: 2 }),
    ourClass: NucleonRetryableError,
    theirs: () => new Mol.MoleculerRetryableError("Try again", 503, "RETRY", { a: 2 }),
    theirClass: Mol.MoleculerRetryableError,
  },
  {
    wireName: "MoleculerServerError",
    ours: () => new NucleonServerError("Server down", 500, "SERVER", { b: [1, 2] }),
    ourClass: NucleonServerError,
    theirs: () => new Mol.MoleculerServerError("Server down", 500, "SERVER", { b: [1, 2] }),
    theirClass: Mol.MoleculerServerError,
  },
  {
    wireName: "MoleculerClientError",
    ours: () => new NucleonClientError("Conflict", 409, "CONFLICT", { c: "x" }),
    ourClass: NucleonClientError,
    theirs: () => new Mol.MoleculerClientError("Conflict", 409, "CONFLICT", { c: "x" }),
    theirClass: Mol.MoleculerClientError,
  },
  {
    wireName: "ValidationError",
    ours: () => new ValidationError("Parameters validation error!", "VALIDATION_ERROR", validationData),
    ourClass: ValidationError,
    theirs: () => new Mol.ValidationError("Parameters validation error!", "VALIDATION_ERROR", validationData),
    theirClass: Mol.ValidationError,
  },
  {
    wireName: "ServiceNotFoundError",
    ours: () => new ServiceNotFoundError(action),
    ourClass: ServiceNotFoundError,
    theirs: () => new Mol.ServiceNotFoundError(action),
    theirClass: Mol.ServiceNotFoundError,
  },
  {
    wireName: "ServiceNotFoundError",
    ours: () => new ServiceNotFoundError({ action: "posts.find" }),
    ourClass: ServiceNotFoundError,
    theirs: () => new Mol.ServiceNotFoundError({ action: "posts.find" }),
    theirClass: Mol.ServiceNotFoundError,
  },
  {
    wireName: "ServiceNotAvailableError",
    ours: () => new ServiceNotAvailableError(action),
    ourClass: ServiceNotAvailableError,
    theirs: () => new Mol.ServiceNotAvailableError(action),
    theirClass: Mol.ServiceNotAvailableError,
  },
  {
    wireName: "RequestTimeoutError",
    ours: () => new RequestTimeoutError(action),
    ourClass: RequestTimeoutError,
    theirs: () => new Mol.RequestTimeoutError(action),
    theirClass: Mol.RequestTimeoutError,
  },
  {
    wireName: "RequestSkippedError",
    ours: () => new RequestSkippedError(action),
    ourClass: RequestSkippedError,
    theirs: () => new Mol.RequestSkippedError(action),
    theirClass: Mol.RequestSkippedError,
  },
  {
    wireName: "RequestRejectedError",
    ours: () => new RequestRejectedError(action),
    ourClass: RequestRejectedError,
    theirs: () => new Mol.RequestRejectedError(action),
    theirClass: Mol.RequestRejectedError,
  },
  {
    wireName: "QueueIsFullError",
    ours: () => new QueueIsFullError({ ...action, size: 100, limit: 100 }),
    ourClass: QueueIsFullError,
    theirs: () => new Mol.QueueIsFullError({ ...action, size: 100, limit: 100 }),
    theirClass: Mol.QueueIsFullError,
  },
  {
    wireName: "MaxCallLevelError",
    ours: () => new MaxCallLevelError({ nodeID: "node-2", level: 5 }),
    ourClass: MaxCallLevelError,
    theirs: () => new Mol.MaxCallLevelError({ nodeID: "node-2", level: 5 }),
    theirClass: Mol.MaxCallLevelError,
  },
  {
    wireName: "ServiceSchemaError",
    ours: () => new ServiceSchemaError("Service name can't be empty!", { name: "" }),
    ourClass: ServiceSchemaError,
    theirs: () => new Mol.ServiceSchemaError("Service name can't be empty!", { name: "" }),
    theirClass: Mol.ServiceSchemaError,
  },
  {
    wireName: "BrokerOptionsError",
    ours: () => new BrokerOptionsError("Invalid transporter type 'x'.", { type: "x" }),
    ourClass: BrokerOptionsError,
    theirs: () => new Mol.BrokerOptionsError("Invalid transporter type 'x'.", { type: "x" }),
    theirClass: Mol.BrokerOptionsError,
  },
  {
    // Both sides carry the service's `{name, version}`.
    wireName: "GracefulStopTimeoutError",
    ours: () => new GracefulStopTimeoutError({ name: "posts", version: 2 }),
    ourClass: GracefulStopTimeoutError,
    theirs: () => new Mol.GracefulStopTimeoutError({ service: { name: "posts", version: 2 } }),
    theirClass: Mol.GracefulStopTimeoutError,
    quirks: { dataShape: true },
  },
  {
    wireName: "ProtocolVersionMismatchError",
    ours: () => new ProtocolVersionMismatchError({ nodeID: "node-2", actual: "4", received: "3" }),
    ourClass: ProtocolVersionMismatchError,
    theirs: () => new Mol.ProtocolVersionMismatchError({ nodeID: "node-2", actual: "4", received: "3" }),
    theirClass: Mol.ProtocolVersionMismatchError,
  },
  {
    wireName: "InvalidPacketDataError",
    ours: () => new InvalidPacketDataError({ packet: { x: 1 } }),
    ourClass: InvalidPacketDataError,
    theirs: () => new Mol.InvalidPacketDataError({ packet: { x: 1 } }),
    theirClass: Mol.InvalidPacketDataError,
  },
  {
    // Missing from Moleculer's rebuild table: a Moleculer caller gets a plain Error with this name.
    wireName: "BrokerDisconnectedError",
    ours: () => new BrokerDisconnectedError(),
    ourClass: BrokerDisconnectedError,
    theirs: () => new MolBrokerDisconnectedError(),
    theirClass: MolBrokerDisconnectedError,
    quirks: { notInMoleculerTable: true },
  },
];

const label = (c: Case): string => `${c.wireName} ${JSON.stringify(c.ours().data) ?? ""}`;
const serializers: Serializer[] = [new JSONSerializer(), new MsgPackSerializer()];

/** One real trip over the wire, so undefined fields vanish as they would. */
function overWire(payload: unknown, serializer: Serializer = serializers[0]): Record<string, unknown> {
  return serializer.deserialize(serializer.serialize(payload)) as Record<string, unknown>;
}

describe("errorToPayload / payloadToError round trip", () => {
  describe.each(CASES.map((c) => [label(c), c] as const))("%s", (_label, c) => {
    it.each(serializers.map((s) => [s.name, s] as const))("survives %s", (_name, serializer) => {
      const original = c.ours();
      const payload = errorToPayload(original, "node-1");
      expect(payload.name).toBe(c.wireName);

      const rebuilt = payloadToError(overWire(payload, serializer), "sender-node");
      expect(rebuilt).toBeInstanceOf(c.ourClass);
      expect(rebuilt).toBeInstanceOf(NucleonError);
      expect(rebuilt.constructor).toBe(original.constructor);
      expect(rebuilt.name).toBe(original.name);
      expect(rebuilt.message).toBe(original.message);
      expect(rebuilt.code).toBe(original.code);
      expect(rebuilt.type).toBe(original.type);
      expect(rebuilt.data).toEqual(original.data);
      expect(rebuilt.retryable).toBe(original.retryable);
      expect(rebuilt.nodeID).toBe("node-1");
      expect(rebuilt.stack).toBe(original.stack);
    });
  });

  it("keeps the nodeID the error already carries", () => {
    const err = new NucleonError("x");
    err.nodeID = "origin";
    expect(errorToPayload(err, "relay").nodeID).toBe("origin");
  });
});

describe("errorToPayload", () => {
  it("always sends the eight fields Moleculer sends", () => {
    expect(Object.keys(errorToPayload(new Error("x"), "n")).sort()).toEqual(PAYLOAD_KEYS);
    expect(Object.keys(errorToPayload("x", "n")).sort()).toEqual(PAYLOAD_KEYS);
  });

  it("sends a plain Error as name Error, code 500, not retryable", () => {
    const err = new Error("plain");
    expect(errorToPayload(err, "n")).toEqual<ErrorPayload>({
      name: "Error",
      message: "plain",
      nodeID: "n",
      code: 500,
      type: undefined,
      retryable: false,
      stack: err.stack,
      data: undefined,
    });
  });

  it("keeps a built-in subclass's name and ignores Node's string codes", () => {
    const err = Object.assign(new TypeError("bad"), { code: "ERR_INVALID_ARG_TYPE" });
    expect(errorToPayload(err, "n")).toMatchObject({ name: "TypeError", code: 500 });
  });

  it("wraps a thrown non-error as Moleculer's error handler does, naming any non-string value", () => {
    expect(errorToPayload("boom", "n")).toMatchObject({ name: "MoleculerError", message: "boom", code: 500, type: "NON_ERROR_THROWN" });
    expect(errorToPayload(42, "n").message).toBe("A non-Error value was thrown: 42");
    expect(errorToPayload(Object.create(null), "n").message).toBe("A non-Error value was thrown: {}");
    expect(errorToPayload(undefined, "n").message).toBe("A non-Error value was thrown: undefined");
    expect(errorToPayload(null, "n")).toMatchObject({ name: "MoleculerError", message: "A non-Error value was thrown: null", data: { value: "null" } });
  });

  it("reads error-like objects from another realm", () => {
    const foreign = { name: "RangeError", message: "out", code: 416, type: "RANGE", retryable: true, data: { max: 1 } };
    expect(errorToPayload(foreign, "n")).toMatchObject({ ...foreign, nodeID: "n" });
  });
});

describe("payloadToError", () => {
  const base = { message: "m", nodeID: "origin", code: 500, retryable: false, stack: "S", data: { x: 1 } };

  it.each([
    ["a string", "boom"],
    ["null", null],
    ["a number", 42],
    ["an object without name", { message: "no name" }],
    ["an object with a non-string name", { name: 5, message: "bad" }],
  ])("gives an InvalidPacketDataError for %s", (_label, payload) => {
    const err = payloadToError(payload, "sender");
    expect(err).toBeInstanceOf(InvalidPacketDataError);
    expect(err.type).toBe("INVALID_PACKET_DATA");
    expect(err.nodeID).toBe("sender");
    expect(err.data).toMatchObject({ packet: payload });
  });

  it("keeps an unknown name on a NucleonError", () => {
    const err = payloadToError({ ...base, name: "TeapotError", code: 418, type: "TEAPOT", retryable: true }, "s");
    expect(err).toBeInstanceOf(NucleonError);
    expect(err).toMatchObject({ name: "TeapotError", message: "m", code: 418, type: "TEAPOT", data: { x: 1 } });
    expect(err.retryable).toBe(true);
    expect(err.nodeID).toBe("origin");
    expect(err.stack).toBe("S");
  });

  it("falls back to the sender's nodeID and the class defaults for missing fields", () => {
    const err = payloadToError({ name: "MoleculerClientError", message: "bad" }, "sender");
    expect(err).toBeInstanceOf(NucleonClientError);
    expect(err).toMatchObject({ name: "NucleonClientError", code: 400, retryable: false, nodeID: "sender" });
    expect(payloadToError({ name: "RequestRejectedError", data: action }, "s").retryable).toBe(true);
  });

  it("keeps the local stack when none was sent", () => {
    expect(payloadToError({ name: "MoleculerError", message: "m", stack: "" }, "s").stack).toContain("codec");
  });

  it("regenerates ServiceNotFoundError's message from data, as Moleculer does", () => {
    const err = payloadToError({ ...base, name: "ServiceNotFoundError", message: "stale", data: action }, "s");
    expect(err.message).toBe("Service 'posts.find' is not found on 'node-2' node.");
    const byService = { service: "posts", version: "v2" };
    expect(payloadToError({ name: "ServiceNotFoundError", data: byService }, "s").message).toBe(
      "Service 'v2.posts' not found.",
    );
    expect(payloadToError({ name: "ServiceNotFoundError", message: "kept" }, "s").message).toBe("kept");
  });

  it.each(CASES.map((c) => [c.wireName, c.ourClass] as const))("rebuilds %s without data", (name, ourClass) => {
    const err = payloadToError({ name, message: "m" }, "s");
    expect(err.constructor).toBe(ourClass);
    expect(err.message).toBe("m");
  });

  it("keeps ValidationError's empty list when no data was sent", () => {
    expect(payloadToError({ name: "ValidationError", message: "m" }, "s").data).toEqual([]);
  });

  it("accepts our own base names too", () => {
    expect(payloadToError({ name: "NucleonServerError", message: "m" }, "s")).toBeInstanceOf(NucleonServerError);
  });
});

/** Transit internals the cross-check calls (not in Moleculer's typings). */
interface MoleculerTransit {
  _createPayloadErrorField(err: Error, payload: Record<string, unknown>): Record<string, unknown>;
  _createErrFromPayload(error: unknown, payload: Record<string, unknown>): Error & Record<string, unknown>;
}

describe("cross-check with Moleculer 0.14", () => {
  // Never started: only its transit's error (de)serialization is used.
  const broker = new ServiceBroker({ nodeID: "mol-node", transporter: "Fake", logger: false });
  const transit = broker.transit as unknown as MoleculerTransit;

  describe.each(CASES.map((c) => [label(c), c] as const))("%s", (_label, c) => {
    it("our payload has Moleculer's keys and values", () => {
      const theirs = transit._createPayloadErrorField(c.theirs(), {});
      const ours = errorToPayload(c.ours(), "mol-node");
      expect(Object.keys(ours).sort()).toEqual(Object.keys(theirs).sort());
      const { stack: _ourStack, data: ourData, ...ourFields } = ours;
      const { stack: _theirStack, data: theirData, ...theirFields } = theirs;
      expect(ourFields).toEqual(theirFields);
      if (!c.quirks?.dataShape) expect(ourData).toEqual(theirData);
    });

    it("rebuilds Moleculer's payload as our class", () => {
      const original = c.theirs();
      const theirs = overWire(transit._createPayloadErrorField(original, {}));
      const err = payloadToError(theirs, "fallback");
      expect(err).toBeInstanceOf(c.ourClass);
      expect(err).toMatchObject({
        message: theirs.message,
        code: theirs.code,
        type: theirs.type,
        retryable: theirs.retryable,
        nodeID: "mol-node",
      });
      expect(err.data).toEqual(theirs.data);
      expect(err.stack).toBe(original.stack || err.stack);
    });

    it("is rebuilt by Moleculer as its class", () => {
      const ours = c.ours();
      const payload = overWire(errorToPayload(ours, "nuc-node"));
      const err = transit._createErrFromPayload(payload, { sender: "sender-node" });
      expect(err.name).toBe(c.wireName);
      if (c.quirks?.notInMoleculerTable) {
        expect(err).not.toBeInstanceOf(Mol.MoleculerError);
      } else {
        expect(err).toBeInstanceOf(c.theirClass);
        expect(err.constructor).toBe(c.theirClass);
      }
      expect(err.code).toBe(ours.code);
      expect(err.type).toBe(ours.type);
      expect(err.retryable).toBe(ours.retryable);
      expect(err.nodeID).toBe("nuc-node");
      expect(err.stack).toBe(ours.stack);
      if (!c.quirks?.dataShape) {
        expect(err.message).toBe(ours.message);
        expect(err.data).toEqual(ours.data);
      }
    });
  });

  it("rebuilds a Moleculer plain Error as a NucleonError named Error", () => {
    const theirs = overWire(transit._createPayloadErrorField(new Error("plain"), {}));
    const err = payloadToError(theirs, "fallback");
    expect(err).toBeInstanceOf(NucleonError);
    expect(err).toMatchObject({ name: "Error", message: "plain", code: 500, retryable: false, nodeID: "mol-node" });
  });

  it("Moleculer rebuilds our unknown names as a plain Error with the name kept", () => {
    class TeapotError extends NucleonError {}
    const payload = overWire(errorToPayload(new TeapotError("short and stout", 418, "TEAPOT", { cups: 2 }), "nuc"));
    const err = transit._createErrFromPayload(payload, { sender: "nuc" });
    expect(err).toMatchObject({ name: "TeapotError", message: "short and stout", code: 418, type: "TEAPOT" });
    expect(err.data).toEqual({ cups: 2 });
  });
});
