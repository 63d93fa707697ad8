/* eslint-disable no-console -- a benchmark prints its results */
import "reflect-metadata";
import { createServer, type Server } from "node:http";
import { Action, Service, ServiceBroker } from "../lib";
import { freePort } from "./free-port";

/**
 * Memory soak for tracing: SOAK_CALLS traced calls (1,000,000 by default)
 * while the Zipkin endpoint is down, then the same number with it up. The
 * exporter's queue is bounded, so the heap after a gc stays flat while the
 * spans past the queue are dropped and counted (`broker.tracer.stats()`).
 * Run alone: `npm run bench:soak`.
 */

const CALLS = Number(process.env.SOAK_CALLS ?? 1_000_000);
const REPORT_EVERY = Math.max(1, Math.floor(CALLS / 4));
const CONCURRENCY = 100;

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

function heapMiB(): number {
  global.gc?.();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** A port nothing listens on yet (taken, then released). */
/** A Zipkin stand-in that reads and counts what it is sent. */
function collector(): { server: Server; received: () => number } {
  let bodies = 0;
  const server = createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      bodies++;
      res.writeHead(202).end();
    });
  });
  return { server, received: () => bodies };
}

async function run(broker: ServiceBroker, label: string): Promise<void> {
  let done = 0;
  const worker = async () => {
    while (done < CALLS) {
      const n = ++done;
      // A local call with a sync handler never leaves the microtask queue: yield as a server with I/O would, so the exporter's timer runs.
      if (n % 1000 === 0) await new Promise((resolve) => setImmediate(resolve));
      const sum = await broker.call<number>("math.add", { a: 1, b: 2 });
      if (sum !== 3) throw new Error(`math.add returned ${String(sum)}`);
      if (n % REPORT_EVERY === 0) {
        const s = broker.tracer!.stats();
        console.log(`${label} ${n.toLocaleString("en")} calls  heap ${heapMiB().toFixed(1)} MiB  rss ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB  exported ${s.exported}  dropped ${s.dropped}  queued ${s.queued}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
}

async function main(): Promise<void> {
  const port = await freePort();
  const broker = new ServiceBroker({
    nodeID: "soak",
    logger: false,
    tracing: { exporter: { type: "Zipkin", options: { url: `http://127.0.0.1:${port}/api/v2/spans` } }, sampling: { rate: 1 } },
  });
  broker.register(MathService);
  await broker.start();
  console.log(`tracing soak: ${CALLS.toLocaleString("en")} calls with the Zipkin endpoint down, then up; heap at start ${heapMiB().toFixed(1)} MiB`);

  await run(broker, "down");
  const { server, received } = collector();
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  await run(broker, "up  ");
  await broker.tracer!.flush();
  const s = broker.tracer!.stats();
  console.log(`end: heap ${heapMiB().toFixed(1)} MiB, exported ${s.exported}, dropped ${s.dropped}, failed ${s.failed}; the endpoint got ${received()} batches`);
  await broker.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
