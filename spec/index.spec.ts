import { execFileSync } from "node:child_process";
import { join } from "node:path";

/**
 * `import "nucleon"` must load no driver: they are optional peers, loaded by
 * the plugin that needs one when it is built. This file imports nothing from
 * lib/ at the top, so jest's registry for it starts empty.
 */
const DRIVER_PATH = /[\\/]node_modules[\\/](nats|ioredis|msgpackr|prom-client|fastify|find-my-way|swagger-ui-dist|class-validator-jsonschema|@fastify[\\/][a-z-]+|@opentelemetry[\\/][a-z-]+)[\\/]/;

function loadedDrivers(paths: string[]): string[] {
  return [...new Set(paths.filter((p) => DRIVER_PATH.test(p)).map((p) => DRIVER_PATH.exec(p)![1]))].sort();
}

describe('import "nucleon"', () => {
  it("loads none of nats, ioredis, msgpackr, prom-client, @opentelemetry/*, fastify (the gateway is `nucleon/gateway`); building a plugin loads its driver", () => {
    // jest's `require.cache` lists this file's module registry (not an isolateModules one), so no isolation here.
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const nucleon = require("../lib") as typeof import("../lib");
    expect(Object.keys(require.cache).some((p) => p.endsWith(join("lib", "index.ts")))).toBe(true);
    expect(loadedDrivers(Object.keys(require.cache))).toEqual([]);

    // The same check sees a driver once a plugin needs it.
    nucleon.resolveSerializer("MsgPack");
    expect(loadedDrivers(Object.keys(require.cache))).toEqual(["msgpackr"]);
    nucleon.resolveTransporter("nats://127.0.0.1:4222");
    expect(loadedDrivers(Object.keys(require.cache))).toEqual(["msgpackr", "nats"]);
    // Tracing loads the OTel resource package and its exporter's (which brings the OTel API) when a broker turns it on;
    // spans are nucleon's own records, so the OTel SDK's tracer is not loaded.
    new nucleon.ServiceBroker({ logger: false, tracing: { exporter: "Zipkin" } });
    const loaded = loadedDrivers(Object.keys(require.cache)).map((p) => p.replace(/\\/g, "/"));
    expect(loaded).toEqual(expect.arrayContaining(["@opentelemetry/api", "@opentelemetry/resources", "@opentelemetry/exporter-zipkin"]));
    expect(loaded).not.toContain("@opentelemetry/sdk-trace-base");
    expect(loaded).not.toContain("@opentelemetry/exporter-trace-otlp-http");
    expect(loaded).not.toContain("prom-client");
    // Metrics load prom-client when a broker turns them on.
    new nucleon.ServiceBroker({ logger: false, metrics: true });
    expect(loadedDrivers(Object.keys(require.cache))).toContain("prom-client");
  });

  it("loads no driver in plain Node either (the real require.cache)", () => {
    const root = join(__dirname, "..");
    const script = [
      `require(${JSON.stringify(join(root, "lib", "index.ts"))});`,
      "process.stdout.write(JSON.stringify(Object.keys(require.cache)));",
    ].join("");
    const out = execFileSync(process.execPath, ["-r", "@swc-node/register", "-e", script], { cwd: root, encoding: "utf8" });
    const paths = JSON.parse(out) as string[];
    expect(paths.some((p) => p.endsWith(join("lib", "index.ts")))).toBe(true);
    expect(loadedDrivers(paths)).toEqual([]);
    // Nor what only the runner and the REPL use: they load when the bin or startRepl runs.
    const cli = /[\\/]node_modules[\\/](commander|chokidar|dotenv|tinyglobby|minimist)[\\/]/;
    expect(paths.filter((p) => cli.test(p))).toEqual([]);
    expect(paths.some((p) => /[\\/]lib[\\/]cli[\\/]repl[\\/]session\.ts$/.test(p))).toBe(false);
  });
});

describe("the public surface", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const exported = (): Record<string, unknown> => require("../lib") as Record<string, unknown>;

  it("keeps internal classes out of it", () => {
    const names = Object.keys(exported());
    for (const internal of ["Transit", "MiddlewareHost", "ContextTracker", "Registry", "ActionCatalog", "EventCatalog", "EndpointList", "LruMap", "KeyedMutex", "ServiceRuntime", "HandlerChains"]) {
      expect(names).not.toContain(internal);
    }
  });

  it("has what users write services, middlewares and plugins with", () => {
    const api = exported();
    for (const name of ["ServiceBroker", "Service", "Action", "Event", "Cached", "Before", "After", "OnError", "Context", "ValidationError", "Transporters", "Serializers", "Cachers", "Validators", "Strategies", "MetricReporters", "PluginRegistry", "loadDriver", "BaseTransporter", "injectable"]) {
      expect(api[name]).toBeDefined();
    }
  });
});
