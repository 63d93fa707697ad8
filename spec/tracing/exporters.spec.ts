import { execFile } from "node:child_process";
import { createServer, IncomingMessage, Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Action, Context, Event, Service, ServiceBroker } from "nucleon";
import { waitUntil } from "../transit/cluster";

@Service({ name: "greeter" })
class GreeterService {
  @Action({ params: false })
  hello(p: { name: string }): string {
    return `Hello ${p.name}`;
  }
}

const received: unknown[][] = [];
@Service({ name: "tracing-sink" })
class SinkService {
  @Event("$tracing.spans")
  onSpans(spans: unknown[], _ctx: Context): void {
    received.push(spans);
  }
}

/** A loopback HTTP server recording each request's path, headers and body. */
async function receiver(status: number): Promise<{ server: Server; url: string; bodies: Array<{ path: string; type: string; body: string }> }> {
  const bodies: Array<{ path: string; type: string; body: string }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      bodies.push({ path: req.url ?? "", type: String(req.headers["content-type"]), body: Buffer.concat(chunks).toString("utf8") });
      res.writeHead(status, { "content-type": "application/json" }).end("{}");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, bodies };
}

/** Closes the server and the keep-alive connections the exporters hold to it. */
function closeServer(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(() => resolve()));
}

describe("trace exporters", () => {
  it("Console writes one line per span", async () => {
    const lines: string[] = [];
    const broker = new ServiceBroker({ nodeID: "con", logger: false, tracing: { exporter: { type: "Console", options: { write: (l: string) => lines.push(l) } } } });
    broker.register(GreeterService);
    await broker.start();
    await broker.call("greeter.hello", { name: "x" });
    await broker.tracer!.flush();
    await broker.stop();
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^trace=0{16}[0-9a-f]{16} span=[0-9a-f]{16} parent=- \d+\.\d{3}ms OK action 'greeter\.hello' service=greeter node=con$/);
  });

  it("Event emits $tracing.spans in Moleculer's span shape, and not the spans of its own handlers", async () => {
    received.length = 0;
    const broker = new ServiceBroker({ nodeID: "ev", logger: false, tracing: { exporter: { type: "Event", options: { scheduledDelayMillis: 10 } } } });
    broker.register(GreeterService, SinkService);
    await broker.start();
    await broker.call("greeter.hello", { name: "x" });
    await waitUntil(() => received.length > 0);
    await broker.tracer!.flush();
    await broker.stop();
    const spans = received.flat() as Array<Record<string, unknown>>;
    expect(spans).toHaveLength(1);
    expect(spans[0]).toMatchObject({
      name: "action 'greeter.hello'",
      type: "action",
      parentID: null,
      service: { name: "greeter", fullName: "greeter" },
      sampled: true,
      error: null,
      tags: { "action.name": "greeter.hello", nodeID: "ev", remoteCall: false },
    });
    expect(spans[0].id).toMatch(/^[0-9a-f]{16}$/);
    expect(typeof spans[0].duration).toBe("number");
    expect(spans[0].finishTime as number).toBeGreaterThanOrEqual(spans[0].startTime as number);
  });

  it("OTLP sends what an OTLP/HTTP receiver decodes: the span with its ids, kind and attributes", async () => {
    const rx = await receiver(200);
    try {
      // A plain Node child: the OTLP exporter's dynamic `import("http")` does not run inside jest's sandbox.
      await new Promise<void>((resolve, reject) => {
        execFile(process.execPath, ["-r", "@swc-node/register", join(__dirname, "support", "otlp-node.ts"), `${rx.url}/v1/traces`], { cwd: join(__dirname, "..", ".."), timeout: 30_000 }, (err, _out, stderr) =>
          err ? reject(new Error(`${err.message}\n${stderr}`)) : resolve(),
        );
      });
    } finally {
      await closeServer(rx.server);
    }
    expect(rx.bodies).toHaveLength(1);
    expect(rx.bodies[0].path).toBe("/v1/traces");
    expect(rx.bodies[0].type).toMatch(/application\/json/);
    const body = JSON.parse(rx.bodies[0].body) as {
      resourceSpans: Array<{
        resource: { attributes: Array<{ key: string; value: { stringValue?: string } }> };
        scopeSpans: Array<{ spans: Array<{ traceId: string; spanId: string; parentSpanId?: string; name: string; kind: number; attributes: Array<{ key: string; value: Record<string, unknown> }> }> }>;
      }>;
    };
    const resource = Object.fromEntries(body.resourceSpans[0].resource.attributes.map((a) => [a.key, a.value.stringValue]));
    expect(resource).toMatchObject({ "service.name": "shop", "service.instance.id": "otlp" });
    const span = body.resourceSpans[0].scopeSpans[0].spans[0];
    expect(span.name).toBe("action 'greeter.hello'");
    expect(span.kind).toBe(2); // OTLP's SPAN_KIND_SERVER
    expect(span.traceId).toMatch(/^0{16}[0-9a-f]{16}$/);
    expect(span.spanId).toBe(span.traceId.slice(16)); // a root: its id is the requestID
    const attrs = Object.fromEntries(span.attributes.map((a) => [a.key, Object.values(a.value)[0]]));
    expect(attrs).toMatchObject({ "action.name": "greeter.hello", nodeID: "otlp", "service.name": "greeter" });
  });

  /** A URL nothing listens on: a server bound to a free port, then closed. */
  async function deadUrl(): Promise<string> {
    const rx = await receiver(200);
    await closeServer(rx.server);
    return rx.url;
  }

  it.each(["down (connection refused)", "refusing (HTTP 503)"])(
    "with the endpoint %s, the queue stays bounded: spans past maxQueueSize are dropped and counted",
    async (how) => {
      const rx = how.startsWith("down") ? null : await receiver(503);
      const url = rx ? rx.url : await deadUrl();
      const maxQueueSize = 50;
      const maxExportBatchSize = 10;
      const broker = new ServiceBroker({
        nodeID: "down",
        logger: false,
        tracing: { exporter: { type: "Zipkin", options: { url: `${url}/api/v2/spans`, maxQueueSize, maxExportBatchSize, scheduledDelayMillis: 60_000 } } },
      });
      broker.register(GreeterService);
      await broker.start();
      try {
        const calls = 2000;
        for (let i = 0; i < calls; i++) await broker.call("greeter.hello", { name: "x" });
        const stats = broker.tracer!.stats();
        expect(stats.exported).toBe(0);
        // The processor never holds more than its bound: the rest was dropped and counted.
        expect(stats.queued).toBeLessThanOrEqual(maxQueueSize);
        expect(stats.dropped).toBeGreaterThan(calls / 2);
        // Every span is accounted for, but those of the one batch whose export is still in flight.
        expect(stats.dropped + stats.queued + stats.failed).toBeGreaterThanOrEqual(calls - maxExportBatchSize);
        expect(stats.dropped + stats.queued + stats.failed).toBeLessThanOrEqual(calls);
        // A flush tries the endpoint, which fails: failed, not exported, and the queue empties.
        await broker.tracer!.flush().catch(() => undefined);
        const after = broker.tracer!.stats();
        expect(after.exported).toBe(0);
        expect(after.queued).toBe(0);
        expect(after.failed).toBeGreaterThan(0);
        if (rx) expect(rx.bodies.length).toBeGreaterThan(0);
      } finally {
        await broker.stop().catch(() => undefined);
        if (rx) await closeServer(rx.server);
      }
    },
  );
});
