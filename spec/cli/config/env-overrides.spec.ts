import { applyEnvOverrides, normalizeEnvValue } from "../../../lib/cli/config";

describe("applyEnvOverrides (Moleculer runner's rules)", () => {
  it("sets top-level options from their upper-cased names even when the config lacks them", () => {
    const options = applyEnvOverrides({}, { TRANSPORTER: "nats://127.0.0.1:4222", NAMESPACE: "prod", NODEID: "42", LOGLEVEL: "debug", REQUESTTIMEOUT: "5000" });
    expect(options).toEqual({ transporter: "nats://127.0.0.1:4222", namespace: "prod", nodeID: "42", logLevel: "debug", requestTimeout: 5000 });
  });

  it("overrides the config's values, nested keys included, and leaves the rest", () => {
    const config = { nodeID: "a", circuitBreaker: { enabled: false, threshold: 0.5 }, metadata: { region: "eu" } };
    const options = applyEnvOverrides(config, { NODEID: "b", CIRCUITBREAKER_ENABLED: "true", METADATA_REGION: "us" });
    expect(options).toEqual({ nodeID: "b", circuitBreaker: { enabled: true, threshold: 0.5 }, metadata: { region: "us" } });
    expect(config.circuitBreaker.enabled).toBe(false); // the exported config is not mutated
  });

  it("replaces an object option by a string one (TRANSPORTER over { type, options })", () => {
    const options = applyEnvOverrides({ transporter: { type: "NATS", options: { url: "nats://a" } } }, { TRANSPORTER: "redis://b" });
    expect(options.transporter).toBe("redis://b");
  });

  it("maps NUCLEON_<PATH> to any option: __ between levels, _ between words, case-free option names", () => {
    const env = { NUCLEON_RETRY_POLICY__RETRIES: "3", NUCLEON_RETRY_POLICY__ENABLED: "true", NUCLEON_NODE_ID: "007", NUCLEON_TRANSIT__MAX_QUEUE_SIZE: "10" };
    expect(applyEnvOverrides({ retryPolicy: { delay: 100 } }, env)).toEqual({
      retryPolicy: { delay: 100, retries: 3, enabled: true },
      nodeID: "007",
      transit: { maxQueueSize: 10 },
    });
  });

  it("ignores NUCLEON_ variables that name no broker option, and empty values", () => {
    expect(applyEnvOverrides({ nodeID: "a" }, { NUCLEON_CONFIG: "x.json", NUCLEON_HAS_NATS: "1", NODEID: "" })).toEqual({ nodeID: "a" });
  });

  it("normalizes values: booleans, numbers, strings", () => {
    expect([normalizeEnvValue("true"), normalizeEnvValue("false"), normalizeEnvValue("1.5"), normalizeEnvValue(" "), normalizeEnvValue("x")]).toEqual([true, false, 1.5, " ", "x"]);
  });
});
