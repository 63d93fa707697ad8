import { Action, NucleonError, SerializationError, Service, ServiceBroker } from "nucleon";
import { memoryCluster } from "./cluster";

class DataError extends Error {
  constructor(readonly data: unknown) {
    super("with bad data");
    this.name = "DataError";
  }
}

function circular(): Record<string, unknown> {
  const o: Record<string, unknown> = { name: "loop" };
  o.self = o;
  return o;
}

@Service({ name: "bad" })
class BadValues {
  @Action({ params: false })
  bigint(): bigint {
    return 10n;
  }

  @Action({ params: false })
  nestedBigint(): unknown {
    return { n: 2n ** 70n };
  }

  @Action({ params: false })
  circular(): unknown {
    return circular();
  }

  @Action({ params: false })
  symbol(): symbol {
    return Symbol("s");
  }

  @Action({ params: false })
  bigintData(): never {
    throw new DataError({ n: 2n ** 70n });
  }

  @Action({ params: false })
  circularData(): never {
    throw new DataError(circular());
  }

  @Action({ params: false })
  throwNull(): never {
    throw null; // eslint-disable-line no-throw-literal -- what is being tested
  }

  @Action({ params: false })
  rejectUndefined(): Promise<never> {
    return Promise.reject(undefined); // eslint-disable-line prefer-promise-reject-errors -- what is being tested
  }

  @Action({ params: false })
  throwString(): never {
    throw "plain text"; // eslint-disable-line no-throw-literal -- what is being tested
  }

  @Action({ params: false })
  async rejectObject(): Promise<never> {
    throw { code: 7 }; // eslint-disable-line no-throw-literal -- what is being tested
  }

  @Action({ params: false })
  echo(p: unknown): unknown {
    return p;
  }
}

describe.each(["JSON", "MsgPack"])("values that cannot cross the wire (%s)", (serializer) => {
  const unhandled: unknown[] = [];
  const trap = (reason: unknown) => unhandled.push(reason);
  let caller: ServiceBroker;
  let responder: ServiceBroker;
  let stop: () => Promise<void>;

  beforeAll(async () => {
    process.on("unhandledRejection", trap);
    ({ brokers: [caller, responder], stop } = await memoryCluster(
      [{ nodeID: "caller" }, { nodeID: "responder", services: [BadValues] }],
      { serializer },
    ));
    await caller.waitForServices("bad", 2000);
  });
  afterAll(async () => {
    await stop();
    process.off("unhandledRejection", trap);
  });
  afterEach(async () => {
    // The responder is still up and answering.
    await expect(caller.call("bad.echo", { ok: 1 })).resolves.toEqual({ ok: 1 });
    expect(unhandled).toEqual([]);
  });

  const fails = (action: string) => caller.call(`bad.${action}`).catch((e: unknown) => e);

  it.each([
    ["bigint", "a bigint has no wire form"],
    ["symbol", "a symbol has no wire form"],
    ["circular", ""],
    ["nestedBigint", ""],
  ])("a result that is %s gives the caller a SerializationError", async (action, reason) => {
    const err = await fails(action);
    expect(err).toBeInstanceOf(SerializationError);
    expect(err).toMatchObject({ code: 500, type: "SERIALIZATION_ERROR", nodeID: "responder", data: { what: "response", action: `bad.${action}` } });
    expect((err as Error).message).toContain(reason);
  });

  it.each(["bigintData", "circularData"])("an error whose data is unsendable (%s) arrives as a SerializationError naming it", async (action) => {
    const err = await fails(action);
    expect(err).toBeInstanceOf(SerializationError);
    expect(err).toMatchObject({ data: { what: "error", action: `bad.${action}`, original: { name: "DataError", message: "with bad data" } } });
  });

  it.each([
    ["throwNull", "A non-Error value was thrown: null"],
    ["rejectUndefined", "A non-Error value was thrown: undefined"],
    ["throwString", "plain text"],
    ["rejectObject", 'A non-Error value was thrown: {"code":7}'],
  ])("%s: a non-Error thrown value fails remotely and locally as a NucleonError", async (action, message) => {
    const remote = await fails(action);
    expect(remote).toBeInstanceOf(NucleonError);
    expect(remote).toMatchObject({ message, type: "NON_ERROR_THROWN", nodeID: "responder" });
    const local = await responder.call(`bad.${action}`).catch((e: unknown) => e);
    expect(local).toBeInstanceOf(NucleonError);
    expect(local).toMatchObject({ message, type: "NON_ERROR_THROWN" });
  });

  it.each([
    ["a BigInt", { n: 2n ** 70n }],
    ["a circular object", circular()],
  ])("params holding %s reject with a SerializationError and leave nothing pending", async (_what, params) => {
    const err = await caller.call("bad.echo", params).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SerializationError);
    expect(err).toMatchObject({ data: { what: "request", action: "bad.echo" } });
    expect(caller.transit?.pending.size).toBe(0);
  });
});

describe("stop() after a call whose params did not serialize", () => {
  it("has nothing pending to drain", async () => {
    const { brokers: [caller], stop } = await memoryCluster([{ nodeID: "c" }, { nodeID: "r", services: [BadValues] }]);
    await caller.waitForServices("bad", 2000);
    await expect(caller.call("bad.echo", { n: 1n })).rejects.toBeInstanceOf(SerializationError);
    expect(caller.transit?.pending.size).toBe(0);
    // With a leaked entry, drained() would wait for it (up to the shutdown timeout).
    await caller.transit?.pending.drained();
    await stop();
  });
});
