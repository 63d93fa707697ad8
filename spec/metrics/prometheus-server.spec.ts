import "reflect-metadata";
import { ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Action, Context, PrometheusReporter, Service } from "../../lib";
import { memoryCluster } from "../transit/cluster";
import { freePort } from "../support/tcp-proxy";

/**
 * A real Prometheus (Debian's `prometheus` package, installed by .ci/run)
 * scrapes two nucleon nodes on loopback; the spec reads the request counters
 * back through Prometheus's HTTP API. In CI a missing binary fails the run.
 */
const PROMETHEUS = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
const available = existsSync(PROMETHEUS);
if (!available && process.env.CI) throw new Error(`${PROMETHEUS} is missing; CI requires it (.ci/run installs Debian's prometheus package).`);
if (!available) console.warn(`Skipping the Prometheus scrape spec: ${PROMETHEUS} is missing (apt-get install prometheus).`);

@Service({ name: "math" })
class MathService {
  @Action({ params: false })
  add(p: { a: number; b: number }): number {
    return p.a + p.b;
  }
}

@Service({ name: "front" })
class Front {
  @Action({ params: false })
  sum(p: { a: number; b: number }, ctx: Context): Promise<unknown> {
    return ctx.call("math.add", p);
  }
}

/** Polls `probe` every 200 ms until it returns a value, for at most `timeout` ms. */
async function until<T>(probe: () => Promise<T | undefined>, timeout: number, what: string): Promise<T> {
  const deadline = Date.now() + timeout;
  let last: unknown;
  while (Date.now() < deadline) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Timed out after ${timeout} ms waiting for ${what}${last ? `: ${String(last)}` : ""}`);
}

interface Series {
  metric: Record<string, string>;
  value: [number, string];
}

(available ? describe : describe.skip)("a real Prometheus scraping a nucleon cluster", () => {
  let prometheus: ChildProcess | null = null;
  let dir = "";
  let stderr = "";

  afterEach(async () => {
    const child = prometheus;
    prometheus = null;
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("finds moleculer_request_total with Moleculer's labels for local and remote calls", async () => {
    const reporters = [new PrometheusReporter({ port: 0, host: "127.0.0.1" }), new PrometheusReporter({ port: 0, host: "127.0.0.1" })];
    const { brokers, stop } = await memoryCluster([
      { nodeID: "front-node", services: [Front], options: { metrics: { reporter: reporters[0] } } },
      { nodeID: "math-node", services: [MathService], options: { metrics: { reporter: reporters[1] } } },
    ]);
    try {
      const [front] = brokers;
      await front.waitForServices("math", 2000);

      dir = mkdtempSync(join(tmpdir(), "nucleon-prometheus-"));
      const port = await freePort();
      const targets = reporters.map((r) => `"127.0.0.1:${r.port!}"`).join(", ");
      writeFileSync(
        join(dir, "prometheus.yml"),
        ["global:", "  scrape_interval: 1s", "scrape_configs:", "  - job_name: nucleon", "    static_configs:", `      - targets: [${targets}]`, ""].join("\n"),
      );
      const child = spawn(PROMETHEUS, [
        `--config.file=${join(dir, "prometheus.yml")}`,
        `--storage.tsdb.path=${join(dir, "data")}`,
        `--web.listen-address=127.0.0.1:${port}`,
        "--log.level=warn",
      ]);
      prometheus = child;
      child.stderr!.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
      const api = `http://127.0.0.1:${port}`;
      await until(async () => ((await fetch(`${api}/-/ready`)).ok ? true : undefined), 30_000, `Prometheus to be ready (${stderr})`);

      for (let i = 0; i < 5; i++) expect(await front.call("front.sum", { a: i, b: 1 })).toBe(i + 1);

      // Scrapes come every second: wait until both nodes' counters show all five calls.
      const query = encodeURIComponent('moleculer_request_total{action="math.add"}');
      const series = await until(
        async () => {
          const body = (await (await fetch(`${api}/api/v1/query?query=${query}`)).json()) as { data: { result: Series[] } };
          const result = body.data.result;
          return result.length === 2 && result.every((s) => s.value[1] === "5") ? result : undefined;
        },
        30_000,
        "both nodes' math.add counters at 5 in Prometheus",
      );
      const byType = Object.fromEntries(series.map((s) => [s.metric.type, s.metric]));
      expect(byType.remote).toMatchObject({ job: "nucleon", service: "math", action: "math.add", caller: "front", instance: `127.0.0.1:${reporters[0].port!}` });
      expect(byType.local).toMatchObject({ job: "nucleon", service: "math", action: "math.add", caller: "front", instance: `127.0.0.1:${reporters[1].port!}` });

      // The histogram is usable as Moleculer dashboards use it.
      const q = encodeURIComponent('sum by (action) (moleculer_request_time_count{action="front.sum"})');
      const count = await until(
        async () => {
          const body = (await (await fetch(`${api}/api/v1/query?query=${q}`)).json()) as { data: { result: Series[] } };
          return body.data.result[0]?.value[1] === "5" ? body.data.result[0] : undefined;
        },
        10_000,
        "front.sum's time histogram count",
      );
      expect(count.metric).toEqual({ action: "front.sum" });
    } finally {
      await stop();
    }
  }, 90_000);
});
