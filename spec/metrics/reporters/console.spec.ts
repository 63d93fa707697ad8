import "reflect-metadata";
import { Writable } from "node:stream";
import pino from "pino";
import { Action, ConsoleReporter, Service, ServiceBroker } from "../../../lib";

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

describe("Console reporter", () => {
  it("logs the metrics with values through the broker's logger on its interval", async () => {
    let onLine: (line: { msg: string; metrics?: number }) => void = () => undefined;
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        for (const line of chunk.toString().split("\n").filter(Boolean)) onLine(JSON.parse(line) as { msg: string });
        done();
      },
    });
    const broker = new ServiceBroker({
      nodeID: "c1",
      logger: pino({ level: "info" }, stream),
      metrics: { reporter: { type: "Console", options: { interval: 0.02 } } },
    });
    broker.register(MathService);
    await broker.start();
    try {
      await broker.call("math.add", { a: 1, b: 2 });
      const logged = await new Promise<{ msg: string; metrics?: number }>((resolve) => {
        onLine = (line) => {
          if (line.msg.startsWith("Metrics\n") && line.msg.includes("math.add")) resolve(line);
        };
      });
      expect(logged.msg).toContain('moleculer_request_total{service="math",action="math.add",type="local",caller="null"} 1');
      // Only the prefix's metrics by default, not prom-client's process ones.
      expect(logged.msg).not.toContain("process_cpu");
      expect(logged.metrics).toBeGreaterThan(0);
    } finally {
      await broker.stop();
    }
  });

  it("is registered by name", () => {
    const broker = new ServiceBroker({ logger: false, metrics: { reporter: "Console", defaultMetrics: false } });
    expect(broker.metrics!.reporters[0]).toBeInstanceOf(ConsoleReporter);
  });
});
