import "reflect-metadata";
import { request } from "node:http";
import { Action, PrometheusReporter, Service, ServiceBroker } from "../../../lib";
import { MemoryBus, MemoryTransporter } from "../../../lib/transporters/memory";
import { waitUntil } from "../../transit/cluster";
import { sampleIn } from "../support";

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

@Service({ name: "needy", dependencies: ["absent"] })
class Needy {}

@Service({ name: "absent" })
class Absent {}

function get(port: number, path: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("Prometheus reporter", () => {
  it("serves the metrics text over HTTP, and health as 200/503", async () => {
    const reporter = new PrometheusReporter({ port: 0, host: "127.0.0.1" });
    const broker = new ServiceBroker({ nodeID: "p1", logger: false, metrics: { reporter } });
    broker.register(MathService);
    await broker.start();
    try {
      const port = reporter.port!;
      await broker.call("math.add", { a: 1, b: 2 });
      const res = await get(port, "/metrics");
      expect(res.status).toBe(200);
      expect(res.type).toMatch(/^text\/plain/);
      expect(res.body).toContain("# TYPE moleculer_request_total counter");
      expect(sampleIn(res.body, "moleculer_request_total", { action: "math.add", service: "math", type: "local", caller: "null" })).toBe(1);
      expect(sampleIn(res.body, "moleculer_request_time_bucket", { action: "math.add", le: "+Inf" })).toBe(1);
      expect(sampleIn(res.body, "process_resident_memory_bytes")).toBeGreaterThan(0);

      const live = await get(port, "/health/live");
      expect(live.status).toBe(200);
      const ready = await get(port, "/health/ready");
      expect(ready.status).toBe(200);
      expect(JSON.parse(ready.body)).toMatchObject({ live: true, ready: true, checks: { started: { ok: true } } });
      expect((await get(port, "/nope")).status).toBe(404);
    } finally {
      await broker.stop();
    }
    expect(reporter.port).toBeUndefined(); // the server closed with the broker
  });

  it("answers 503 on /health/ready while a dependency is missing, 200 once it shows up", async () => {
    const bus = new MemoryBus();
    const transport = { transporter: new MemoryTransporter({ bus }), transit: { discoverWait: 20, stopDelay: 10 } };
    const reporter = new PrometheusReporter({ port: 0, host: "127.0.0.1" });
    const needy = new ServiceBroker({ nodeID: "p2", logger: false, ...transport, metrics: { reporter, defaultMetrics: false } });
    needy.register(Needy);
    const provider = new ServiceBroker({ nodeID: "p3", logger: false, ...transport, transporter: new MemoryTransporter({ bus }) });
    provider.register(Absent);
    // start() waits for "absent": health answers meanwhile (the server starts before services do).
    const starting = needy.start();
    try {
      await waitUntil(() => reporter.port !== undefined && needy.transit!.connected);
      const ready = await get(reporter.port!, "/health/ready");
      expect(ready.status).toBe(503);
      const report = JSON.parse(ready.body) as { ready: boolean; checks: Record<string, { ok: boolean; detail?: string }> };
      expect(report.ready).toBe(false);
      expect(report.checks.started).toEqual({ ok: false, detail: "starting" });
      expect(report.checks.transporter).toEqual({ ok: true, detail: "connected" });
      expect(report.checks.dependencies).toEqual({ ok: false, detail: "missing: absent" });
      expect((await get(reporter.port!, "/health/live")).status).toBe(200);

      await provider.start();
      await starting;
      expect((await get(reporter.port!, "/health/ready")).status).toBe(200);
      expect(needy.health()).toMatchObject({ live: true, ready: true });
    } finally {
      await Promise.all([needy.stop(), provider.stop()]);
    }
    expect(needy.health()).toMatchObject({ live: false, ready: false });
  });

  it("resolves by name with options, on Moleculer's default path", () => {
    const broker = new ServiceBroker({ logger: false, metrics: { reporter: { type: "Prometheus", options: { port: 0 } }, defaultMetrics: false } });
    expect(broker.metrics!.reporters[0]).toBeInstanceOf(PrometheusReporter);
  });
});
