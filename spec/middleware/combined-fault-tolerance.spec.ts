import { Action, Context, NucleonError, NucleonRetryableError, Service, ServiceBroker } from "nucleon";

/** Deterministic PRNG so the 30 % failure pattern is the same on every run. */
function prng(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x7fffffff;
  };
}
const random = prng(42);

@Service({ name: "flaky" })
class Flaky {
  @Action({ params: false })
  async maybe(p: { i: number }): Promise<number> {
    await new Promise((r) => setTimeout(r, 1));
    if (random() < 0.3) throw new NucleonRetryableError("transient", 503, "TRANSIENT");
    return p.i;
  }
}

describe("retry + circuit breaker + fallback on a flaky action", () => {
  it("ends every call in a result or a typed error, never a hang", async () => {
    const broker = new ServiceBroker({
      logger: false,
      requestTimeout: 1000,
      retryPolicy: { enabled: true, retries: 3, delay: 1, maxDelay: 5 },
      circuitBreaker: { enabled: true, threshold: 0.6, minRequestCount: 10, halfOpenTime: 20 },
    });
    broker.register(Flaky);
    await broker.start();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 300 }, (_, i) =>
        broker.call<number | string>("flaky.maybe", { i }, { fallbackResponse: (_ctx: Context, err: Error) => `fallback:${err.name}` }),
      ),
    );
    const values = outcomes.map((o) => (o.status === "fulfilled" ? o.value : o.reason));
    for (const [i, v] of values.entries()) {
      const ok = v === i || (typeof v === "string" && v.startsWith("fallback:")) || v instanceof NucleonError;
      expect(ok).toBe(true);
    }
    // Retries recover most transient failures.
    expect(values.filter((v, i) => v === i).length).toBeGreaterThan(250);
    await broker.stop();
  });
});
