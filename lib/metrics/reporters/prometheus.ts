import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { MetricReporter, ReporterHost } from "./reporter";

export interface PrometheusReporterOptions {
  /** 3030 (Moleculer's); 0 picks a free port (read it from `port` after start). */
  port?: number;
  /** Interface to listen on; all of them by default (as Moleculer), so a Prometheus elsewhere can scrape. */
  host?: string;
  /** 
   * Path of the metrics text; `/metrics` by default. The health endpoints are
   * `/health/live` and `/health/ready` beside it.
   */
  path?: string;
}

/**
 * Serves the registry in Prometheus text format over `node:http`, and the
 * broker's liveness and readiness (200 when true, 503 when not, the report
 * as JSON) for orchestrator probes.
 */
export class PrometheusReporter implements MetricReporter {
  private readonly options: Required<Omit<PrometheusReporterOptions, "host">> & { host?: string };
  private server: Server | null = null;
  private host: ReporterHost | null = null;

  constructor(options: PrometheusReporterOptions = {}) {
    this.options = { port: options.port ?? 3030, path: options.path ?? "/metrics", host: options.host };
  }

  /** The port listened on (the real one when 0 was asked for); undefined before start. */
  get port(): number | undefined {
    return (this.server?.address() as AddressInfo | null)?.port;
  }

  async start(host: ReporterHost): Promise<void> {
    this.host = host;
    const server = (this.server = createServer((req, res) => void this.serve(req, res)));
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(this.options.port, this.options.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    host.broker.logger.info({ port: this.port, path: this.options.path }, "Prometheus metrics endpoint listening");
  }

  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const host = this.host!;
    const path = (req.url ?? "/").split("?")[0];
    try {
      if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "Method Not Allowed\n");
      if (path === this.options.path) return send(res, 200, host.metrics.contentType, await host.metrics.text());
      if (path === "/health/live" || path === "/health/ready") {
        const report = host.health();
        const ok = path === "/health/live" ? report.live : report.ready;
        return send(res, ok ? 200 : 503, "application/json", JSON.stringify(report));
      }
      send(res, 404, "text/plain", "Not Found\n");
    } catch (err) {
      host.broker.logger.warn({ err }, "Metrics request failed");
      send(res, 500, "text/plain", "Internal Server Error\n");
    }
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
