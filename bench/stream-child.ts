/* eslint-disable no-console -- a benchmark child reports on stdout */
import "reflect-metadata";
import { Readable } from "node:stream";
import { ServiceBroker as MoleculerBroker } from "moleculer";
import type { Context as MoleculerContext } from "moleculer";
import { Action, Context, Service, ServiceBroker } from "../lib";

/**
 * The responder of `bench/stream.ts`, in its own process: a `sink` service
 * (nucleon or Moleculer 0.14, `BENCH_IMPL`) that counts a request stream's
 * bytes (optionally reading at `rate` bytes/s) and serves a response
 * stream of `size` bytes. Reports `ready`, its RSS (baseline and peak since
 * the last `rss-reset`) and stops on `stop`. Over NATS, MsgPack.
 */

const CHUNK = 64 * 1024;
const BLOCK = Buffer.alloc(1024 * 1024, 7);

/** `size` bytes in 64 KiB Buffers, cut from one block (no per-chunk work beyond the stream's own). */
export function source(size: number): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= size) return void this.push(null);
      const n = Math.min(CHUNK, size - sent);
      const off = sent % BLOCK.length;
      sent += n;
      this.push(BLOCK.subarray(off, off + Math.min(n, BLOCK.length - off)));
    },
  });
}

/** Counts a stream's bytes; with `rate` (bytes/s) reads no faster than that. */
export async function drain(stream: AsyncIterable<unknown>, rate = 0): Promise<number> {
  let bytes = 0;
  const started = Date.now();
  for await (const chunk of stream) {
    bytes += (chunk as Buffer).length;
    if (rate > 0) {
      const ahead = (bytes / rate) * 1000 - (Date.now() - started);
      if (ahead > 5) await new Promise((r) => setTimeout(r, ahead));
    }
  }
  return bytes;
}

/** Peak RSS since the last reset, sampled every 50 ms. */
export class RssWatch {
  base = process.memoryUsage.rss();
  peak = this.base;
  private readonly timer = setInterval(() => this.sample(), 50);
  constructor() {
    this.timer.unref();
  }
  sample(): void {
    const rss = process.memoryUsage.rss();
    if (rss > this.peak) this.peak = rss;
  }
  reset(): void {
    global.gc?.();
    this.base = process.memoryUsage.rss();
    this.peak = this.base;
  }
  stop(): void {
    clearInterval(this.timer);
  }
}

@Service({ name: "sink" })
class Sink {
  @Action({ params: false })
  async save(p: { rate?: number }, ctx: Context): Promise<number> {
    return drain(ctx.stream as Readable, p.rate ?? 0);
  }

  @Action({ params: false })
  download(p: { size: number }): Readable {
    return source(p.size);
  }
}

async function start(impl: string, namespace: string): Promise<() => Promise<void>> {
  const common = { nodeID: `sink-${namespace}`, namespace, transporter: "nats://127.0.0.1:4222", serializer: "MsgPack" as const };
  if (impl === "nucleon") {
    const broker = new ServiceBroker({ ...common, logger: false });
    broker.register(Sink);
    await broker.start();
    return () => broker.stop();
  }
  const broker = new MoleculerBroker({ ...common, logger: false });
  broker.createService({
    name: "sink",
    actions: {
      // 0.14: the request stream is the params.
      save: (ctx: MoleculerContext<Readable & { rate?: number }, { rate?: number }>) => drain(ctx.params, ctx.meta.rate ?? 0),
      download: (ctx: MoleculerContext<{ size: number }>) => source(ctx.params.size),
    },
  });
  await broker.start();
  return () => broker.stop();
}

if (require.main === module) {
  const rss = new RssWatch();
  const send = (m: object) => process.send?.(m);
  start(process.env.BENCH_IMPL ?? "nucleon", process.env.BENCH_NAMESPACE ?? "bench-stream").then(
    (stop) => {
      let stopping = false;
      const finish = () => {
        if (stopping) return;
        stopping = true;
        rss.stop();
        stop().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.on("message", (m) => {
        if (m === "stop") finish();
        else if (m === "rss-reset") {
          rss.reset();
          send({ type: "rss-reset" });
        } else if (m === "rss") {
          rss.sample();
          send({ type: "rss", base: rss.base, peak: rss.peak });
        }
      });
      process.on("disconnect", finish);
      send({ type: "ready" });
    },
    (err: unknown) => {
      send({ type: "failed", error: String((err as Error)?.stack ?? err) });
      process.exit(1);
    },
  );
}
