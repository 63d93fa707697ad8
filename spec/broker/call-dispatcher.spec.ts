import { Action, BrokerOptionsError, Service, ServiceBroker } from "nucleon";
import { memoryCluster } from "../transit/cluster";

/** A handler that stays pending until the test releases it. */
class Gate {
  private open: (() => void) | null = null;
  entered: Promise<void>;
  private enter!: () => void;
  constructor() {
    this.entered = new Promise((r) => (this.enter = r));
  }
  wait(): Promise<void> {
    this.enter();
    return new Promise((r) => (this.open = r));
  }
  release(): void {
    this.open?.();
  }
}

let gate = new Gate();

@Service({ name: "held" })
class HeldService {
  @Action({ params: false })
  async hold(): Promise<string> {
    await gate.wait();
    return "released";
  }

  @Action({ params: false, timeout: 2 ** 40 })
  async holdWithHugeActionTimeout(): Promise<string> {
    await gate.wait();
    return "released";
  }
}

/** Long enough for an overflowed timer (Node fires those after 1 ms) to have fired. */
const pastAnOverflowedTimer = () => new Promise((r) => setTimeout(r, 30));

async function callReleasedLater(broker: ServiceBroker, action: string, timeout?: number): Promise<unknown> {
  gate = new Gate();
  const outcome = broker.call(action, {}, timeout === undefined ? undefined : { timeout }).then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );
  await gate.entered;
  await pastAnOverflowedTimer();
  gate.release();
  return outcome;
}

describe("timeouts past what Node's timers take (2^31 - 1 ms)", () => {
  let warnings: string[];
  const onWarning = (w: Error) => warnings.push(w.name);
  beforeEach(() => {
    warnings = [];
    process.on("warning", onWarning);
  });
  afterEach(() => {
    process.off("warning", onWarning);
  });

  it("a local call with timeout 2^31 waits for the action instead of timing out at once", async () => {
    const broker = new ServiceBroker({ logger: false });
    broker.register(HeldService);
    await broker.start();
    try {
      await expect(callReleasedLater(broker, "held.hold", 2 ** 31)).resolves.toEqual({ value: "released" });
      await expect(callReleasedLater(broker, "held.holdWithHugeActionTimeout")).resolves.toEqual({ value: "released" });
      expect(warnings).not.toContain("TimeoutOverflowWarning");
    } finally {
      await broker.stop();
    }
  });

  it("a remote call with timeout 2^31 waits for the responder", async () => {
    const { brokers, stop } = await memoryCluster([{ nodeID: "caller" }, { nodeID: "responder", services: [HeldService] }]);
    try {
      await brokers[0].waitForServices("held", 2000, 5);
      await expect(callReleasedLater(brokers[0], "held.hold", 2 ** 31)).resolves.toEqual({ value: "released" });
      expect(warnings).not.toContain("TimeoutOverflowWarning");
    } finally {
      await stop();
    }
  });

  it.each([
    ["requestTimeout", { requestTimeout: 2 ** 31 }],
    ["retryPolicy.maxDelay", { retryPolicy: { maxDelay: 2 ** 31 } }],
    ["circuitBreaker.halfOpenTime", { circuitBreaker: { halfOpenTime: 2 ** 31 } }],
    ["circuitBreaker.windowTime", { circuitBreaker: { windowTime: 2 ** 31 / 1000 } }],
    ["heartbeatTimeout", { heartbeatTimeout: Infinity }],
    ["tracking.shutdownTimeout", { tracking: { shutdownTimeout: 2 ** 32 } }],
    ["transit.connectTimeout", { transit: { connectTimeout: 2 ** 31 } }],
  ])("a broker option %s over the limit is a BrokerOptionsError naming it", (name, options) => {
    let error: unknown;
    try {
      new ServiceBroker({ logger: false, ...options });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(BrokerOptionsError);
    expect((error as Error).message).toContain(`'${name}'`);
    expect((error as Error).message).toContain("2147483647");
  });

  it("accepts the largest timer value", () => {
    expect(() => new ServiceBroker({ logger: false, requestTimeout: 2 ** 31 - 1 })).not.toThrow();
  });
});

describe("a call whose action name is not a string", () => {
  it.each([
    [42, "42"],
    [undefined, "undefined"],
    [{}, "{}"],
    [null, "null"],
  ])("broker.call(%p) rejects with a BrokerOptionsError showing the value", async (name, shown) => {
    const broker = new ServiceBroker({ logger: false });
    await broker.start();
    try {
      const err = await broker.call(name as never).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(BrokerOptionsError);
      expect((err as Error).message).toContain(`got ${shown}`);
    } finally {
      await broker.stop();
    }
  });
});
