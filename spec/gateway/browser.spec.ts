import { existsSync } from "node:fs";
import type { Browser } from "playwright-core";
import { chromium } from "playwright-core";
import { Service, ServiceBroker } from "../../lib";
import { Gateway, type GatewaySettings } from "../../lib/gateway";
import { calls, MathService } from "./support/services";

const CHROMIUM = "/usr/bin/chromium";

/** Debian's chromium (installed by .ci/run). CI fails without it; elsewhere the suite says why it skips. */
function chromiumAvailable(): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI) throw new Error(`${CHROMIUM} is missing; .ci/run installs Debian's chromium package.`);
  // eslint-disable-next-line no-console -- the skip reason must be visible
  console.warn(`Skipping the browser check: no ${CHROMIUM} (apt-get install -y chromium).`);
  return false;
}

@Service({ name: "api" })
class ApiGateway extends Gateway {
  override settings: GatewaySettings = { port: 0, logRequests: false, routes: [{ path: "/api", autoAliases: true }] };
}

describe("the docs page in a real Chromium", () => {
  let broker: ServiceBroker;
  let browser: Browser | null = null;
  const available = chromiumAvailable();

  beforeAll(async () => {
    if (!available) return;
    broker = new ServiceBroker({ nodeID: "gw-browser", logger: false });
    broker.register(MathService, ApiGateway);
    await broker.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"] });
  }, 30_000);

  afterAll(async () => {
    await browser?.close();
    await broker?.stop();
  });

  it("loads /docs, opens math.add, runs 'Try it out' against the live API and shows the answer", async () => {
    if (!available || !browser) return;
    calls.length = 0;
    const base = broker.getLocalService(ApiGateway)!.url;
    const page = await browser.newPage();
    const outside: string[] = [];
    page.on("request", (req) => {
      if (!req.url().startsWith(base)) outside.push(req.url());
    });
    await page.goto(`${base}/docs`);
    const operation = page.locator(".opblock.opblock-get").filter({ hasText: "/api/math/add" });
    await operation.waitFor({ timeout: 15_000 });
    await operation.locator(".opblock-summary").click();
    await operation.getByRole("button", { name: "Try it out" }).click();
    await operation.locator('tr[data-param-name="a"] input').fill("20");
    await operation.locator('tr[data-param-name="b"] input').fill("22");
    const answer = page.waitForResponse((res) => res.url().startsWith(`${base}/api/math/add`));
    await operation.getByRole("button", { name: "Execute" }).click();
    expect((await answer).status()).toBe(200);
    const body = operation.locator(".live-responses-table .response-col_description pre").first();
    await body.waitFor({ timeout: 10_000 });
    expect((await body.innerText()).trim()).toBe("42");
    expect(await operation.locator(".live-responses-table tr.response .response-col_status").first().innerText()).toContain("200");
    expect(calls).toEqual(["math.add"]);
    expect(outside).toEqual([]); // no CDN: everything came from the gateway
    await page.close();
  }, 60_000);
});
