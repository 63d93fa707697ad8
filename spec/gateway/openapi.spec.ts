import { request as httpRequest } from "node:http";
import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { MathService, UsersService } from "./support/services";

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: 0,
    logRequests: false,
    openapi: { title: "Spec API", version: "2.0.0" },
    routes: [{ path: "/api", autoAliases: true, aliases: { "GET /whoami": "users.me" } }],
  };
}

let broker: ServiceBroker;
let base: string;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the document is read path by path
let doc: any;

beforeAll(async () => {
  broker = new ServiceBroker({ nodeID: "gw-oa", logger: false });
  broker.register(MathService, UsersService, ApiGateway);
  await broker.start();
  base = broker.getLocalService(ApiGateway)!.url;
  const res = await fetch(`${base}/openapi.json`);
  expect(res.status).toBe(200);
  doc = await res.json();
});
afterAll(() => broker.stop());

/** A raw GET: the path goes out byte for byte (fetch would normalize `..`). */
function rawGet(path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: hostname, port, path, method: "GET" }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

describe("the OpenAPI 3.1 document", () => {
  it("has the info and one operation per alias, with {param} paths", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info).toEqual({ title: "Spec API", version: "2.0.0" });
    expect(Object.keys(doc.paths).sort()).toEqual(["/api/math/add", "/api/users", "/api/users/{id}", "/api/whoami"]);
    expect(Object.keys(doc.paths["/api/users"])).toEqual(["post"]);
    expect(Object.keys(doc.paths["/api/whoami"])).toEqual(["get"]);
  });

  it("takes query params of a GET from the DTO, numbers as numbers, with the summary", () => {
    const op = doc.paths["/api/math/add"].get;
    expect(op.summary).toBe("Adds two numbers");
    expect(op.operationId).toBe("math.add");
    expect(op.parameters).toEqual([
      { name: "a", in: "query", required: true, schema: { type: "number" } },
      { name: "b", in: "query", required: true, schema: { type: "number" } },
    ]);
    expect(op.responses["200"]).toEqual({ description: "the sum", content: { "application/json": { schema: { type: "number" } } } });
    expect(op.responses["422"]).toBeDefined();
  });

  it("takes path params from the DTO and leaves optional fields optional", () => {
    const op = doc.paths["/api/users/{id}"].get;
    expect(op.parameters).toEqual([
      { name: "id", in: "path", required: true, schema: expect.objectContaining({ type: "integer", minimum: 1 }) },
      { name: "fields", in: "query", required: false, schema: { type: "string" } },
    ]);
    expect(op.responses["200"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/User" });
  });

  it("describes a JSON body by its DTO: nested DTOs, enums, arrays, optional fields", () => {
    const op = doc.paths["/api/users"].post;
    expect(op.requestBody.content["application/json"].schema).toEqual({ $ref: "#/components/schemas/CreateUser" });
    expect(op.responses["201"].content["application/json"].schema).toEqual({ $ref: "#/components/schemas/User" });
    const create = doc.components.schemas.CreateUser;
    expect(create.required.sort()).toEqual(["name", "role"]);
    expect(create.properties.name).toEqual({ type: "string", minLength: 2 });
    expect(create.properties.role).toEqual(expect.objectContaining({ enum: ["admin", "user"] }));
    expect(create.properties.tags).toEqual(expect.objectContaining({ type: "array", items: { type: "string" }, maxItems: 5 }));
    expect(create.properties.address).toEqual({ $ref: "#/components/schemas/Address" });
    expect(doc.components.schemas.Address).toEqual(expect.objectContaining({ properties: { city: { type: "string" } }, required: ["city"] }));
    // Only the schemas referred to: query params are inlined, so AddParams and IdParams are not listed.
    expect(Object.keys(doc.components.schemas).sort()).toEqual(["Address", "CreateUser", "User"]);
  });

  it("follows the aliases: a route added at run time shows up", async () => {
    const gateway = broker.getLocalService(ApiGateway)!;
    gateway.addRoute({ name: "extra", path: "/extra", aliases: { "GET /sum": "math.add" } });
    const fresh = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(fresh.paths)).toContain("/extra/sum");
    gateway.removeRoute("extra");
  });
});

describe("the docs page", () => {
  it("serves Swagger UI from the npm package, pointed at /openapi.json", async () => {
    const page = await fetch(`${base}/docs`);
    expect(page.headers.get("content-type")).toContain("text/html");
    const html = await page.text();
    expect(html).toContain('url: "/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const bundle = await fetch(`${base}/docs/swagger-ui-bundle.js`);
    expect(bundle.status).toBe(200);
    expect((await bundle.text()).length).toBeGreaterThan(100_000);
    expect((await fetch(`${base}/docs/swagger-ui.css`)).status).toBe(200);
  });

  it("refuses path traversal and anything of the package but the page's assets", async () => {
    for (const path of ["/docs/../package.json", "/docs/..%2fpackage.json", "/docs/%2e%2e/%2e%2e/package.json", "/docs/..%2f..%2f..%2fpackage.json", "/docs/package.json", "/docs/swagger-initializer.js"]) {
      const res = await rawGet(path);
      expect([path, res.status]).toEqual([path, expect.any(Number)]);
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).not.toContain('"main"'); // a package.json of some package
      expect(res.body).not.toContain("SwaggerUIBundle");
    }
  });
});
