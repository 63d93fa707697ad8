import { Action, Context, Service, ServiceBroker } from "nucleon";
import { Gateway, type GatewayRequest, type GatewaySettings, type RouteSettings } from "nucleon/gateway";

/**
 * Compile-time checks of the gateway's settings and hooks: each
 * `@ts-expect-error` line fails type-checking if the types stop catching it.
 */
@Service({ name: "typedApi" })
class TypedApi extends Gateway {
  override settings: GatewaySettings = {
    port: 3000,
    routes: [{ path: "/api", aliases: { "REST /posts": { action: "posts", only: ["list", "get"] } }, mappingPolicy: "restrict" }],
  };

  override authenticate(_ctx: Context, route: RouteSettings, req: GatewayRequest): unknown {
    return { route: route.path, auth: req.headers.authorization };
  }

  // @ts-expect-error the hook's route is the RouteSettings, not anything else
  override authorize(_ctx: Context, _route: number): void {}
}

const wrongPolicy: RouteSettings = {
  path: "/x",
  // @ts-expect-error only "all" and "restrict"
  mappingPolicy: "some",
};

const wrongRest: RouteSettings = {
  path: "/x",
  // @ts-expect-error the REST shorthand's action names are list/get/create/update/patch/remove
  aliases: { "REST /posts": { action: "posts", only: ["index"] } },
};

@Service({ name: "restful" })
class Restful {
  @Action({ rest: "GET /:id", responses: { 200: { description: "one", schema: { type: "object" } } } })
  get(): string {
    return "x";
  }

  // @ts-expect-error rest is a route string, a route object or a list of them
  @Action({ rest: 42 })
  wrong(): string {
    return "x";
  }
}

void wrongPolicy;
void wrongRest;

describe("gateway types", () => {
  it("keep `rest` and `responses` in the descriptor that autoAliases and OpenAPI read", () => {
    const broker = new ServiceBroker({ logger: false });
    const get = broker.describe(Restful).actions.find((a) => a.rawName === "get")!;
    expect(get.options.rest).toBe("GET /:id");
    expect(get.options.responses).toEqual({ 200: { description: "one", schema: { type: "object" } } });
    expect(broker.describe(TypedApi).events.map((e) => e.name)).toEqual(["$services.changed"]);
  });
});
