import { BrokerOptionsError } from "../../lib/errors";
import {
  MemoryBus,
  MemoryTransporter,
  NatsTransporter,
  RedisTransporter,
  resolveTransporter,
  Transporters,
} from "../../lib/transporters";
import { natsConnectionOptions } from "../../lib/transporters/nats";

describe("resolveTransporter", () => {
  it("resolves names case-insensitively", () => {
    expect(resolveTransporter("memory")).toBeInstanceOf(MemoryTransporter);
    expect(resolveTransporter("Memory")).toBeInstanceOf(MemoryTransporter);
    expect(resolveTransporter("NATS")).toBeInstanceOf(NatsTransporter);
    expect(resolveTransporter("redis")).toBeInstanceOf(RedisTransporter);
    expect(Transporters.names()).toEqual(["NATS", "Redis", "Memory"]);
  });

  it("resolves URLs by scheme and keeps the URL", () => {
    const nats = resolveTransporter("nats://127.0.0.1:4222");
    expect(nats).toBeInstanceOf(NatsTransporter);
    expect(resolveTransporter("redis://127.0.0.1:6379")).toBeInstanceOf(RedisTransporter);
    expect(resolveTransporter("rediss://127.0.0.1:6380")).toBeInstanceOf(RedisTransporter);
    expect(resolveTransporter("memory://")).toBeInstanceOf(MemoryTransporter);
    expect(natsConnectionOptions({ url: "nats://127.0.0.1:4222" }).servers).toEqual(["127.0.0.1:4222"]);
  });

  it("resolves { type, options }", () => {
    const bus = new MemoryBus();
    const memory = resolveTransporter({ type: "Memory", options: { bus } });
    expect(memory).toBeInstanceOf(MemoryTransporter);
    expect((memory as MemoryTransporter).bus).toBe(bus);
    expect(resolveTransporter({ type: "nats://127.0.0.1:4222", options: { maxReconnectAttempts: 2 } })).toBeInstanceOf(
      NatsTransporter,
    );
    expect(resolveTransporter({ type: "NATS" })).toBeInstanceOf(NatsTransporter);
  });

  it("passes instances through", () => {
    const own = new MemoryTransporter();
    expect(resolveTransporter(own)).toBe(own);
  });

  it("rejects unknown names, schemes and shapes with BrokerOptionsError", () => {
    expect(() => resolveTransporter("Carrier-Pigeon")).toThrow(BrokerOptionsError);
    expect(() => resolveTransporter("kafka://127.0.0.1:9092")).toThrow(/No transporter for URL scheme 'kafka:\/\/'/);
    expect(() => resolveTransporter(42 as unknown as string)).toThrow(BrokerOptionsError);
    expect(() => resolveTransporter({ publish: 1 } as unknown as string)).toThrow(BrokerOptionsError);
  });
});
