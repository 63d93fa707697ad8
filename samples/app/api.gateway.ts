import { Service } from "nucleon";
import { Gateway, type GatewaySettings } from "nucleon/gateway";

/**
 * The sample's HTTP front door: every action with `@Action({ rest })` is
 * served under /api (`GET /api/greeter/hello`, `POST /api/users`, …), with its
 * OpenAPI document at /openapi.json and a docs page at /docs.
 */
@Service({ name: "api" })
export class ApiGateway extends Gateway {
  override settings: GatewaySettings = {
    port: Number(process.env.PORT ?? 3000),
    host: "127.0.0.1",
    openapi: { title: "nucleon sample app", version: "1.0.0" },
    routes: [{ path: "/api", autoAliases: true }],
  };
}
