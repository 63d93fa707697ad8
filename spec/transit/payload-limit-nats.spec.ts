import { Action, PayloadTooLargeError, Service, ServiceBroker } from "nucleon";
import { BROKERS, uniqueNamespace } from "../support/brokers";
import { describeWith } from "../support/describe-with";

@Service({ name: "big" })
class Big {
  @Action({ params: false })
  blob(p: { bytes: number }): string {
    return "x".repeat(p.bytes);
  }

  @Action({ params: false })
  size(p: { text: string }): number {
    return p.text.length;
  }
}

describeWith("nats", "packets over the NATS max_payload", () => {
  let caller: ServiceBroker;
  let responder: ServiceBroker;
  let limit: number;

  beforeAll(async () => {
    const namespace = uniqueNamespace("maxpayload");
    const make = (nodeID: string) =>
      new ServiceBroker({ nodeID, namespace, logger: false, transporter: BROKERS.nats.url, transit: { discoverWait: 50, stopDelay: 10 } });
    responder = make("responder");
    responder.register(Big);
    caller = make("caller");
    await Promise.all([responder.start(), caller.start()]);
    await caller.waitForServices("big", 3000);
    limit = caller.transit!.transporter.maxPayload;
  });
  afterAll(() => Promise.all([caller.stop(), responder.stop()]));

  it("learns the limit from the server", () => {
    expect(limit).toBeGreaterThan(0); // 1 MB unless the server says otherwise
  });

  it("a response over the limit reaches the caller as a PayloadTooLargeError naming size and limit", async () => {
    // No call timeout: before the fix this call never settled.
    const err = await caller.call("big.blob", { bytes: limit + 10 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    const { data, message } = err as PayloadTooLargeError;
    expect(data).toMatchObject({ what: "response", action: "big.blob", limit });
    expect(data.size).toBeGreaterThan(limit);
    expect(message).toContain(`${data.size} bytes`);
    expect(message).toContain(`limit of ${limit} bytes`);
    await expect(caller.call("big.blob", { bytes: 3 })).resolves.toBe("xxx");
  });

  it("a request over the limit rejects with PayloadTooLargeError and leaves nothing pending", async () => {
    const err = await caller.call("big.size", { text: "y".repeat(limit + 10) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PayloadTooLargeError);
    expect(err).toMatchObject({ code: 413, data: { what: "request", action: "big.size", limit } });
    expect(caller.transit?.pending.size).toBe(0);
    await expect(caller.call("big.size", { text: "ok" })).resolves.toBe(2);
  });
});
