import { connect, type Socket } from "node:net";
import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { calls, MathService, MiscService } from "./support/services";

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: 0,
    logRequests: false,
    production: true,
    bodyLimit: 1024,
    cors: { origin: ["http://app.example"] },
    timeouts: { headers: 800, request: 2000, connection: 400, keepAlive: 300 },
    routes: [{ path: "/api", aliases: { "POST /echo": "misc.echo", "GET /echo": "misc.echo", "GET /fail": "misc.fail", "GET /add": "math.add", "GET /pause": "misc.pause" } }],
  };
}

let broker: ServiceBroker;
let base: string;
let port: number;

beforeAll(async () => {
  broker = new ServiceBroker({ nodeID: "gw-sec", logger: false });
  broker.register(MathService, MiscService, ApiGateway);
  await broker.start();
  base = broker.getLocalService(ApiGateway)!.url;
  port = Number(new URL(base).port);
});
afterAll(() => broker.stop());
beforeEach(() => (calls.length = 0));

const postRaw = (path: string, body: string, type = "application/json") => fetch(base + path, { method: "POST", body, headers: { "content-type": type } });

/** Resolves with the ms until the server closed the socket (bounded by `limit`). */
function closedWithin(socket: Socket, limit: number): Promise<number> {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`socket still open after ${limit} ms`));
    }, limit);
    socket.on("error", () => undefined);
    socket.once("close", () => {
      clearTimeout(timer);
      resolve(Date.now() - t0);
    });
  });
}

describe("bad input", () => {
  it("answers 413 to a body over the limit, without calling anything", async () => {
    const res = await postRaw("/api/echo", JSON.stringify({ pad: "x".repeat(2000) }));
    expect(res.status).toBe(413);
    expect(calls).toEqual([]);
  });

  it("answers 400, not 500, to malformed JSON", async () => {
    const res = await postRaw("/api/echo", '{"a": 1,');
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 400 });
  });

  it("refuses __proto__ and constructor.prototype JSON payloads, and nothing gets polluted", async () => {
    expect((await postRaw("/api/echo", '{"__proto__": {"polluted": "yes"}}')).status).toBe(400);
    expect((await postRaw("/api/echo", '{"constructor": {"prototype": {"polluted": "yes"}}}')).status).toBe(400);
    const viaQuery = await fetch(`${base}/api/echo?__proto__=yes&constructor=yes&prototype=yes&ok=1`);
    const viaForm = await postRaw("/api/echo", "__proto__=yes&ok=2", "application/x-www-form-urlencoded");
    expect(((await viaQuery.json()) as { params: unknown }).params).toEqual({ ok: "1" });
    const formParams = ((await viaForm.json()) as { params: object }).params;
    expect(formParams).toEqual({ ok: "2" });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it("hides internals of a 5xx in production: no stack, no message", async () => {
    const res = await fetch(`${base}/api/fail?code=500`);
    expect(res.status).toBe(500);
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toEqual({ name: "Error", message: "Internal Server Error", code: 500 });
  });
});

describe("slow and idle clients", () => {
  it("closes a slowloris connection that never finishes its headers", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    socket.write("GET /api/add?a=1&b=2 HTTP/1.1\r\nHost: 127.0.0.1\r\n");
    let n = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed && n < 100) socket.write(`X-Drip-${n++}: 1\r\n`);
    }, 50);
    try {
      const ms = await closedWithin(socket, 5000);
      expect(ms).toBeLessThan(5000);
    } finally {
      clearInterval(drip);
    }
    expect(calls).toEqual([]);
  });

  it("closes an idle connection that sends nothing", async () => {
    const socket = connect(port, "127.0.0.1");
    await new Promise((r) => socket.once("connect", r));
    await closedWithin(socket, 5000);
  });

  it("still answers a request whose action takes longer than the idle timeout", async () => {
    const res = await fetch(`${base}/api/pause?ms=900`);
    expect(res.status).toBe(200);
    expect(await res.json()).toBe("paused");
  });
});

describe("CORS", () => {
  it("answers a preflight for an allowed origin and says nothing for another", async () => {
    const ok = await fetch(`${base}/api/echo`, { method: "OPTIONS", headers: { origin: "http://app.example", "access-control-request-method": "POST" } });
    expect(ok.status).toBe(204);
    expect(ok.headers.get("access-control-allow-origin")).toBe("http://app.example");
    const other = await fetch(`${base}/api/add?a=1&b=1`, { headers: { origin: "http://evil.example" } });
    expect(other.headers.get("access-control-allow-origin")).toBeNull();
  });
});
