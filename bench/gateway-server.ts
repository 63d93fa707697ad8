/* eslint-disable no-console -- a benchmark child reports through IPC and stderr */
import "reflect-metadata";
import { IsNumber } from "class-validator";
import { ServiceBroker as MoleculerBroker } from "moleculer";
import ApiGatewayService from "moleculer-web";
import { Action, Service, ServiceBroker } from "../lib";
import { Gateway, type GatewaySettings } from "../lib/gateway";
import { loadDriver } from "../lib/utils/load-driver";
import type * as FastifyModule from "fastify";

/**
 * One HTTP server of the gateway bench, in its own process so the load
 * generator does not share its event loop: `BENCH_GATEWAY=nucleon|moleculer|bare`.
 * Sends `{ type: "ready", port }` over IPC when listening.
 */

const add = (a: number, b: number): number => a + b;

class AddParams {
  @IsNumber() a!: number;
  @IsNumber() b!: number;
}

@Service({ name: "math" })
class MathService {
  @Action({ rest: "GET /add" })
  add(p: AddParams): number {
    return add(p.a, p.b);
  }
}

// Same work on every side: no access log, no ETag, no rate limit (moleculer-web's defaults).
@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = { port: 0, logRequests: false, etag: false, openapi: false, routes: [{ path: "/api", aliases: { "GET /math/add": "math.add" } }] };
}

async function nucleon(): Promise<number> {
  const broker = new ServiceBroker({ nodeID: "bench-gw", logger: false });
  broker.register(MathService, ApiGateway);
  await broker.start();
  return Number(new URL(broker.getLocalService(ApiGateway)!.url).port);
}

async function moleculer(): Promise<number> {
  const broker = new MoleculerBroker({ nodeID: "bench-gw", logger: false });
  broker.createService({
    name: "math",
    actions: {
      add: {
        rest: "GET /add",
        params: { a: { type: "number", convert: true }, b: { type: "number", convert: true } },
        handler: (ctx) => add((ctx.params as { a: number }).a, (ctx.params as { b: number }).b),
      },
    },
  });
  const api = broker.createService({ name: "api", mixins: [ApiGatewayService], settings: { port: 0, ip: "127.0.0.1", logRequest: null, logResponse: null, routes: [{ path: "/api", aliases: { "GET /math/add": "math.add" } }] } });
  await broker.start();
  return ((api as unknown as { server: { address(): { port: number } } }).server.address()).port;
}

/** The floor: a plain fastify route doing the same sum. */
async function bare(): Promise<number> {
  const app = loadDriver<typeof FastifyModule>("fastify", "bench").fastify({ logger: false });
  app.get("/api/math/add", (req) => {
    const q = req.query as { a: string; b: string };
    return add(Number(q.a), Number(q.b));
  });
  await app.listen({ port: 0, host: "127.0.0.1" });
  return (app.server.address() as { port: number }).port;
}

const kinds: Record<string, () => Promise<number>> = { nucleon, moleculer, bare };

const kind = process.env.BENCH_GATEWAY ?? "";
const start = kinds[kind];
if (!start) {
  console.error(`BENCH_GATEWAY must be one of ${Object.keys(kinds).join(", ")}`);
  process.exit(2);
}
// The parent asks for this process's CPU time (µs) around a timed run: CPU per request is steadier than req/s on a shared machine.
process.on("message", (m: { type?: string }) => {
  if (m.type === "cpu") {
    const { user, system } = process.cpuUsage();
    process.send?.({ type: "cpu", us: user + system });
  }
});
start().then(
  (port) => process.send?.({ type: "ready", port }),
  (err: unknown) => {
    process.send?.({ type: "error", error: String(err) });
    process.exit(1);
  },
);
