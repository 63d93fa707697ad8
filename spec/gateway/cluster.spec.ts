import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { BROKERS, brokerAvailable, uniqueNamespace } from "../support/brokers";
import { MathService, UsersService } from "./support/services";

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: 0,
    logRequests: false,
    routes: [{ path: "/api", autoAliases: true, aliases: { "GET /u/:id": "users.get", "GET /secret": "users.secret" } }],
  };
}

/** The gateway on one node, the services on another, over a real NATS server. */
describe("gateway and services on different nodes (NATS)", () => {
  let gatewayNode: ServiceBroker;
  let serviceNode: ServiceBroker;
  let base: string;
  let available = true;

  beforeAll(async () => {
    available = await brokerAvailable("nats");
    if (!available) return;
    const namespace = uniqueNamespace("gw-cluster");
    gatewayNode = new ServiceBroker({ nodeID: "gw-node", namespace, transporter: BROKERS.nats.url, logger: false });
    serviceNode = new ServiceBroker({ nodeID: "svc-node", namespace, transporter: BROKERS.nats.url, logger: false });
    gatewayNode.register(ApiGateway);
    serviceNode.register(MathService, UsersService);
    await Promise.all([gatewayNode.start(), serviceNode.start()]);
    await gatewayNode.waitForServices(["math", "users"], 10_000);
    base = gatewayNode.getLocalService(ApiGateway)!.url;
  }, 20_000);

  afterAll(async () => {
    if (available) await Promise.all([gatewayNode.stop(), serviceNode.stop()]);
  });

  it("calls a remote action through a declared alias; path strings stay strings for a remote DTO", async () => {
    if (!available) return;
    // The DTO lives on the other node, so the gateway cannot turn "3" into the number IsInt wants: the remote validator says so.
    const res = await fetch(`${base}/api/u/3`);
    expect(res.status).toBe(422);
    const body = (await res.json()) as { name: string; data: Array<{ field: string; actual: unknown }> };
    expect(body.name).toBe("ValidationError");
    expect(body.data).toContainEqual(expect.objectContaining({ field: "id", actual: "3" }));
  });

  it("builds autoAliases from the remote node's INFO", async () => {
    if (!available) return;
    const sum = await fetch(`${base}/api/math/add`, { method: "GET" });
    expect(sum.status).toBe(422); // reached the remote validator: a and b are missing
    const created = await fetch(`${base}/api/users`, { method: "POST", body: JSON.stringify({ name: "Ada", role: "admin" }), headers: { "content-type": "application/json" } });
    expect(created.status).toBe(201);
    expect(created.headers.get("location")).toBe("/api/users/7");
    expect(await created.json()).toMatchObject({ id: 7, name: "Ada" });
    const gateway = gatewayNode.getLocalService(ApiGateway)!;
    expect(gateway.listAliases().filter((a) => a.auto).map((a) => `${a.method} ${a.path}`).sort()).toEqual(["GET /api/math/add", "GET /api/users/:id", "POST /api/users"]);
  });

  it("does not reach a remote protected action", async () => {
    if (!available) return;
    expect((await fetch(`${base}/api/secret`)).status).toBe(404);
  });

  // Last: the service node leaves.
  it("drops the remote node's auto-aliases when it leaves", async () => {
    if (!available) return;
    await serviceNode.stop();
    const gateway = gatewayNode.getLocalService(ApiGateway)!;
    const t0 = Date.now();
    while (gateway.listAliases().some((a) => a.auto) && Date.now() - t0 < 5000) await new Promise((r) => setTimeout(r, 20));
    expect(gateway.listAliases().filter((a) => a.auto)).toEqual([]);
    expect((await fetch(`${base}/api/users`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } })).status).toBe(404);
  });
});
