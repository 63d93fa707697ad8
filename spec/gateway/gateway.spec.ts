import { Action, Context, Service, ServiceBroker } from "../../lib";
import { Gateway, UnauthorizedError, type AliasInfo, type GatewayReply, type GatewayRequest, type GatewaySettings, type RouteSettings } from "../../lib/gateway";
import { calls, MathService, MiscService, PostsService, UsersService } from "./support/services";

const seen: string[] = [];

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: 0,
    logRequests: false,
    production: false,
    use: [
      (req) => {
        seen.push(`global:${req.url}`);
      },
    ],
    routes: [
      {
        path: "/api",
        autoAliases: true,
        aliases: {
          "GET /users-by-id/:id": "users.get",
          "REST /posts": { action: "posts", only: ["list", "get", "create"] },
          "REST /all-posts": "posts",
          "GET /protected": "users.secret",
          "GET /public": "users.internalOnly",
          "GET /node": "$node.list",
          "GET /shaped": "misc.shaped",
          "GET /redirect": "misc.redirect",
          "GET /stream": "misc.stream",
          "GET /fail": "misc.fail",
          "GET /slow": "misc.slow",
          "POST /echo": "misc.echo",
          "GET /echo": "misc.echo",
          "GET /blocked": "misc.pause",
        },
        blacklist: ["misc.pause"],
        use: [
          (req, reply) => {
            if (req.headers["x-stop"] === "1") return void reply.code(299).send("stopped by middleware");
          },
        ],
      },
      { path: "/all", mappingPolicy: "all", whitelist: ["math.*", "posts.**"] },
      { path: "/auth", authentication: true, authorization: true, aliases: { "GET /me": "users.me" } },
      { path: "/form", aliases: { "POST /echo": "misc.echo" }, bodyParsers: { json: false } },
    ],
  };

  override authenticate(_ctx: Context, _route: RouteSettings, req: GatewayRequest): unknown {
    const auth = req.headers.authorization;
    if (auth === "Bearer admin") return { name: "ada", role: "admin" };
    if (auth === "Bearer user") return { name: "bob", role: "user" };
    throw new UnauthorizedError("No valid token");
  }

  override authorize(ctx: Context): void {
    if ((ctx.meta.user as { role: string }).role !== "admin") throw new Error("admins only");
  }

  override onBeforeCall(ctx: Context, _route: RouteSettings, req: GatewayRequest, alias: AliasInfo): void {
    seen.push(`before:${alias.action}`);
    if (req.headers["x-tenant"]) ctx.meta.tenant = req.headers["x-tenant"];
  }

  override onError(req: GatewayRequest, reply: GatewayReply, err: Error): void {
    if (req.headers["x-own-error"] === "1") void reply.code(409).send({ own: err.message });
  }

  override onAfterCall(_ctx: Context, _route: RouteSettings, req: GatewayRequest, _reply: unknown, data: unknown): unknown {
    seen.push(`after:${req.url}`);
    return req.headers["x-wrap"] === "1" ? { wrapped: data } : data;
  }
}

@Service({ name: "late" })
class LateService {
  @Action({ rest: "GET /hello", params: false })
  hello(): string {
    return "late hello";
  }
}

let broker: ServiceBroker;
let api: ApiGateway;
let base: string;

beforeAll(async () => {
  broker = new ServiceBroker({ nodeID: "gw", logger: false });
  broker.register(MathService, UsersService, PostsService, MiscService, ApiGateway);
  await broker.start();
  api = broker.getLocalService(ApiGateway)!;
  base = api.url;
});

afterAll(() => broker.stop());

beforeEach(() => {
  calls.length = 0;
  seen.length = 0;
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- response bodies are read field by field
const json = (res: Response): Promise<any> => res.json();
const get = (path: string, init?: RequestInit) => fetch(base + path, { redirect: "manual", ...init });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: "POST", body: JSON.stringify(body), headers: { "content-type": "application/json", ...headers } });

describe("aliases", () => {
  it("maps a declared alias with a path param, merged with the query and turned into the DTO's number", async () => {
    const res = await get("/api/users-by-id/12?fields=name");
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ id: 12, name: "user-12", role: "user", fields: "name" });
  });

  it("expands REST with only: list, get and create exist, remove does not", async () => {
    expect(await (await get("/api/posts")).json()).toEqual(["p1"]);
    expect(await (await get("/api/posts/5")).json()).toEqual({ id: "5" });
    expect(await (await post("/api/posts", { title: "t" })).json()).toEqual({ created: { title: "t" } });
    const del = await get("/api/posts/5", { method: "DELETE" });
    expect(del.status).toBe(404);
    expect(calls).toEqual(["posts.list", "posts.get", "posts.create"]);
    // The full shorthand has it.
    expect(await (await get("/api/all-posts/9", { method: "DELETE" })).json()).toEqual({ removed: "9" });
  });

  it("builds autoAliases from @Action({ rest }) under the service's base path", async () => {
    expect(await (await get("/api/math/add?a=1&b=2")).json()).toBe(3);
    const res = await post("/api/users", { name: "Ada", role: "admin", tags: ["x"], address: { city: "Paris" } });
    expect(res.status).toBe(201);
    expect(res.headers.get("location")).toBe("/api/users/7");
    expect(await json(res)).toEqual({ id: 7, name: "Ada", role: "admin", tags: ["x"], city: "Paris" });
  });

  it("maps /all/<service>/<action> to the action under mappingPolicy all, within the whitelist", async () => {
    expect(await (await get("/all/math/add?a=2&b=5")).json()).toBe(7);
    expect(await (await get("/all/posts/list")).json()).toEqual(["p1"]);
    const res = await get("/all/users/get?id=1");
    expect(res.status).toBe(404);
    expect(calls).toEqual(["math.add", "posts.list"]);
  });

  it("answers 404 for an unknown route without calling anything", async () => {
    const res = await get("/api/nothing/here");
    expect(res.status).toBe(404);
    expect(await json(res)).toMatchObject({ name: "RouteNotFoundError", code: 404, type: "NOT_FOUND" });
    expect((await get("/elsewhere")).status).toBe(404);
    expect(calls).toEqual([]);
    expect(seen).toEqual([]);
  });

  it("never reaches $-internal, protected, public-only or blacklisted actions", async () => {
    for (const path of ["/api/protected", "/api/public", "/api/node", "/api/blocked", "/all/$node/list"]) {
      const res = await get(path);
      expect([path, res.status]).toEqual([path, 404]);
    }
    expect(calls).toEqual([]);
  });

  it("lists its aliases, declared and automatic", () => {
    const aliases = api.listAliases();
    expect(aliases).toContainEqual({ method: "GET", path: "/api/users-by-id/:id", action: "users.get", route: "/api", auto: false });
    expect(aliases).toContainEqual({ method: "GET", path: "/api/math/add", action: "math.add", route: "/api", auto: true });
    expect(aliases).toContainEqual({ method: "POST", path: "/api/users", action: "users.create", route: "/api", auto: true });
    expect(aliases.filter((a) => a.path.startsWith("/api/posts")).map((a) => a.action)).toEqual(["posts.list", "posts.get", "posts.create"]);
  });

  it("adds and removes routes at run time", async () => {
    expect((await get("/v2/sum?a=1&b=1")).status).toBe(404);
    api.addRoute({ name: "v2", path: "/v2", aliases: { "GET /sum": "math.add" } });
    expect(await (await get("/v2/sum?a=1&b=1")).json()).toBe(2);
    expect(api.removeRoute("v2")).toBe(true);
    expect(api.removeRoute("v2")).toBe(false);
    expect((await get("/v2/sum?a=1&b=1")).status).toBe(404);
  });

  it("follows services joining and leaving with its autoAliases", async () => {
    expect((await get("/api/late/hello")).status).toBe(404);
    broker.register(LateService);
    await broker.waitForServices("late", 2000);
    await new Promise<void>((resolve) => setImmediate(resolve)); // $services.changed is delivered after the start
    expect(await (await get("/api/late/hello")).json()).toBe("late hello");
    await broker.unregister("late");
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect((await get("/api/late/hello")).status).toBe(404);
    expect(api.listAliases().some((a) => a.action === "late.hello")).toBe(false);
  });
});

describe("params and bodies", () => {
  it("merges query, JSON body and path params (path params win)", async () => {
    const res = await post("/api/echo?q=1&id=query", { b: 2, id: "body" });
    expect((await json(res)).params).toEqual({ q: "1", b: 2, id: "body" });
  });

  it("reads urlencoded bodies", async () => {
    const res = await fetch(`${base}/api/echo`, { method: "POST", body: "x=1&y=two", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await json(res)).params).toEqual({ x: "1", y: "two" });
  });

  it("refuses a body format the route turned off with 415", async () => {
    const res = await post("/form/echo", { a: 1 });
    expect(res.status).toBe(415);
    const ok = await fetch(`${base}/form/echo`, { method: "POST", body: "a=1", headers: { "content-type": "application/x-www-form-urlencoded" } });
    expect((await json(ok)).params).toEqual({ a: "1" });
  });
});

describe("errors", () => {
  it("turns a ValidationError into 422 with the failing fields", async () => {
    const res = await post("/api/users", { name: "A", role: "root" });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body).toMatchObject({ name: "ValidationError", code: 422, type: "VALIDATION_ERROR" });
    expect(body.data.map((f: { field: string }) => f.field).sort()).toEqual(["name", "role"]);
    expect(calls).toEqual([]);
  });

  it("maps a timeout to 504 and other errors by their code", async () => {
    expect((await get("/api/slow?ms=300")).status).toBe(504);
    const teapot = await get("/api/fail?code=418");
    expect(teapot.status).toBe(418);
    expect(await teapot.json()).toMatchObject({ message: "teapot broke", code: 418 });
    const plain = await get("/api/fail?code=7");
    expect(plain.status).toBe(500);
    expect((await json(plain)).stack).toContain("teapot broke");
  });

  it("lets onError answer an error itself, and maps it when onError does not", async () => {
    const own = await get("/api/fail?code=418", { headers: { "x-own-error": "1" } });
    expect(own.status).toBe(409);
    expect(await json(own)).toEqual({ own: "teapot broke" });
    const unknown = await get("/api/nothing", { headers: { "x-own-error": "1" } });
    expect(unknown.status).toBe(409);
    expect((await get("/api/fail?code=418")).status).toBe(418);
  });

  it("says 401 to an unauthenticated request and 403 to an unauthorized one", async () => {
    expect((await get("/auth/me")).status).toBe(401);
    const forbidden = await get("/auth/me", { headers: { authorization: "Bearer user" } });
    expect(forbidden.status).toBe(403);
    const ok = await get("/auth/me", { headers: { authorization: "Bearer admin", "x-request-id": "req-42" } });
    expect(await json(ok)).toEqual({ user: { name: "ada", role: "admin" }, requestID: "req-42" });
    expect(calls).toEqual(["users.me"]);
  });
});

describe("responses", () => {
  it("takes status, status message, type and headers from ctx.meta", async () => {
    const res = await get("/api/shaped");
    expect(res.status).toBe(202);
    expect(res.statusText).toBe("Taken");
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    expect(res.headers.get("x-custom")).toBe("yes");
    expect(await res.text()).toBe("shaped text");
  });

  it("redirects with $location", async () => {
    const res = await get("/api/redirect");
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/elsewhere");
  });

  it("sends an ETag and 304 when the client has it", async () => {
    const first = await get("/api/math/add?a=1&b=2");
    const tag = first.headers.get("etag");
    expect(tag).toMatch(/^W\/"/);
    const again = await get("/api/math/add?a=1&b=2", { headers: { "if-none-match": tag! } });
    expect(again.status).toBe(304);
    const other = await get("/api/math/add?a=1&b=3", { headers: { "if-none-match": tag! } });
    expect(other.status).toBe(200);
  });

  it("streams a Readable result", async () => {
    const res = await get("/api/stream?n=4");
    expect(res.headers.get("content-type")).toBe("application/octet-stream");
    expect(res.headers.get("transfer-encoding")).toBe("chunked");
    expect(await res.text()).toBe("chunk0;chunk1;chunk2;chunk3;");
  });

  it("carries X-Request-ID / X-Correlation-ID into ctx.requestID and back", async () => {
    const res = await get("/api/echo", { headers: { "x-correlation-id": "corr-1" } });
    expect((await json(res)).requestID).toBe("corr-1");
    expect(res.headers.get("x-request-id")).toBe("corr-1");
    const generated = await get("/api/echo");
    expect(generated.headers.get("x-request-id")).toBe((await json(generated)).requestID);
  });
});

describe("hooks and middlewares", () => {
  it("runs global then route middlewares, onBeforeCall and onAfterCall in order", async () => {
    const res = await get("/api/echo?x=1", { headers: { "x-wrap": "1", "x-tenant": "t1" } });
    const body = await json(res);
    expect(body.wrapped.meta).toEqual({ tenant: "t1" });
    expect(seen).toEqual(["global:/api/echo?x=1", "before:misc.echo", "after:/api/echo?x=1"]);
  });

  it("lets a middleware answer by itself", async () => {
    const res = await get("/api/echo", { headers: { "x-stop": "1" } });
    expect(res.status).toBe(299);
    expect(await res.text()).toBe("stopped by middleware");
    expect(seen).toEqual(["global:/api/echo"]);
  });
});
