import pino from "pino";
import { ServiceBroker, TransporterConnectTimeoutError } from "nucleon";
import type { NatsTransporter } from "../../lib/transporters/nats";
import type { RedisTransporter } from "../../lib/transporters/redis";

/** A pino logger whose lines the test can read. */
function capturedLogger(): { logger: pino.Logger; warnings: () => Array<{ msg: string }> } {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => void lines.push(line) });
  return {
    logger,
    warnings: () => lines.map((l) => JSON.parse(l) as { level: number; msg: string }).filter((l) => l.level >= 40),
  };
}

// Nothing listens on port 1 of the loopback: every attempt is refused at once.
describe("transit.connectTimeout: start() gives up when the transporter cannot connect", () => {
  it("NATS: rejects with a typed error naming the URL without its password, and logs a bounded number of lines", async () => {
    const { logger, warnings } = capturedLogger();
    const broker = new ServiceBroker({
      nodeID: "no-nats",
      logger,
      // A short retry delay makes many attempts inside the timeout: the log must stay small anyway.
      transporter: { type: "NATS", options: { url: "nats://user:pw-secret@127.0.0.1:1", connectRetryDelay: 20 } },
      transit: { connectTimeout: 1500 },
    });
    const err = await broker.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransporterConnectTimeoutError);
    expect((err as Error).message).toContain("nats://user:***@127.0.0.1:1");
    expect((err as Error).message).toContain("1500 ms");
    expect(broker.started).toBe(false);
    expect((broker.transit?.transporter as NatsTransporter).client).toBeNull();
    const lines = warnings();
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(10);
    expect(lines[0].msg).toMatch(/^NATS connect to nats:\/\/user:\*\*\*@127\.0\.0\.1:1 failed.*: \S/);
    expect(JSON.stringify(lines)).not.toContain("pw-secret");
    await broker.stop(); // nothing to stop: resolves
  });

  it("Redis: rejects with a typed error, closes both clients, and logs a bounded number of lines", async () => {
    const { logger, warnings } = capturedLogger();
    const broker = new ServiceBroker({
      nodeID: "no-redis",
      logger,
      transporter: { type: "Redis", options: { url: "redis://:pw-secret@127.0.0.1:1", disconnectTimeout: 50 } },
      transit: { connectTimeout: 1500 },
    });
    const err = await broker.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransporterConnectTimeoutError);
    expect((err as Error).message).toContain("redis://:***@127.0.0.1:1");
    expect((broker.transit?.transporter as RedisTransporter).clients).toEqual({ pub: null, sub: null });
    const lines = warnings();
    expect(lines.length).toBeGreaterThanOrEqual(1);
    expect(lines.length).toBeLessThanOrEqual(6); // ioredis retries every 50..2000 ms on both clients
    expect(lines[0].msg).toMatch(/^Redis (publisher|subscriber) error \(redis:\/\/:\*\*\*@127\.0\.0\.1:1\): \S/);
    expect(JSON.stringify(lines)).not.toContain("pw-secret");
  });

  it("0 waits forever: the start is still pending when a finite timeout would have fired", async () => {
    const broker = new ServiceBroker({
      nodeID: "patient",
      logger: false,
      transporter: { type: "NATS", options: { url: "nats://127.0.0.1:1", connectRetryDelay: 20 } },
      transit: { connectTimeout: 0 },
    });
    let settled = false;
    const starting = broker.start().then(
      () => (settled = true),
      () => (settled = true),
    );
    await new Promise((r) => setTimeout(r, 100));
    expect(settled).toBe(false);
    await broker.transit?.transporter.disconnect(); // cancels the wait
    await starting;
  });
});
