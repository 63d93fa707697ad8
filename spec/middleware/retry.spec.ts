import { Action, NucleonClientError, NucleonRetryableError, Service, ServiceBroker } from "nucleon";

let attempts = 0;
let failUntil = 0;

@Service({ name: "flaky" })
class FlakyService {
  @Action({ params: false })
  run(): string {
    attempts++;
    if (attempts <= failUntil) throw new NucleonRetryableError(`fail ${attempts}`, 503, "FLAKY");
    return `ok after ${attempts}`;
  }

  @Action({ params: false })
  client(): never {
    attempts++;
    throw new NucleonClientError("bad input", 400, "BAD");
  }

  @Action({ retries: 1, params: false })
  once(): string {
    attempts++;
    if (attempts <= failUntil) throw new NucleonRetryableError("fail", 503);
    return "ok";
  }
}

describe("retry", () => {
  beforeEach(() => {
    attempts = 0;
    failUntil = 0;
  });

  async function start(policy: ConstructorParameters<typeof ServiceBroker>[0] = {}) {
    const broker = new ServiceBroker({ logger: false, ...policy });
    broker.register(FlakyService);
    await broker.start();
    return broker;
  }

  it("retries retryable errors with exponential backoff capped at maxDelay", async () => {
    const broker = await start({ retryPolicy: { enabled: true, retries: 3, delay: 10, factor: 3, maxDelay: 40 } });
    failUntil = 3;
    const started = Date.now();
    await expect(broker.call("flaky.run")).resolves.toBe("ok after 4");
    // Delays 10, 30, then 40 (capped): at least 80 ms in all.
    expect(Date.now() - started).toBeGreaterThanOrEqual(75);
    await broker.stop();
  });

  it("gives up after the configured retries with the last error", async () => {
    const broker = await start({ retryPolicy: { enabled: true, retries: 2, delay: 1 } });
    failUntil = 10;
    await expect(broker.call("flaky.run")).rejects.toThrow("fail 3");
    expect(attempts).toBe(3);
    await broker.stop();
  });

  it("never retries non-retryable errors unless check accepts them", async () => {
    const broker = await start({ retryPolicy: { enabled: true, retries: 3, delay: 1 } });
    await expect(broker.call("flaky.client")).rejects.toThrow("bad input");
    expect(attempts).toBe(1);
    await broker.stop();
    attempts = 0;
    const lenient = await start({ retryPolicy: { enabled: true, retries: 2, delay: 1, check: () => true } });
    await expect(lenient.call("flaky.client")).rejects.toThrow("bad input");
    expect(attempts).toBe(3);
    await lenient.stop();
  });

  it("lets the call's retries override, and the action's retries work with the policy off", async () => {
    const broker = await start();
    failUntil = 2;
    await expect(broker.call("flaky.run")).rejects.toThrow("fail 1");
    attempts = 0;
    await expect(broker.call("flaky.run", {}, { retries: 2 })).resolves.toBe("ok after 3");
    attempts = 0;
    failUntil = 1;
    await expect(broker.call("flaky.once")).resolves.toBe("ok");
    expect(attempts).toBe(2);
    await broker.stop();
  });
});
