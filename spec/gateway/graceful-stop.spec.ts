import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { calls, MiscService } from "./support/services";

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = { port: 0, logRequests: false, routes: [{ path: "/api", aliases: { "GET /pause": "misc.pause" } }] };
}

describe("graceful stop", () => {
  it("lets in-flight requests finish, refuses new ones, then the broker stops", async () => {
    const broker = new ServiceBroker({ nodeID: "gw-stop", logger: false });
    broker.register(MiscService, ApiGateway);
    await broker.start();
    const base = broker.getLocalService(ApiGateway)!.url;

    const inFlight = fetch(`${base}/api/pause?ms=400`);
    // Wait until the action runs (bounded).
    const t0 = Date.now();
    while (!calls.includes("misc.pause") && Date.now() - t0 < 2000) await new Promise((r) => setTimeout(r, 5));
    expect(calls).toEqual(["misc.pause"]);
    const stopped = broker.stop();
    const late = await fetch(`${base}/api/pause?ms=1`);
    expect(late.status).toBe(503);
    expect(await late.json()).toMatchObject({ type: "GATEWAY_STOPPING" });
    expect(calls).toEqual(["misc.pause"]);
    const res = await inFlight;
    expect(res.status).toBe(200);
    expect(await res.json()).toBe("paused");
    await stopped;
    // Nothing listens any more.
    await expect(fetch(`${base}/api/pause?ms=1`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
  });
});
