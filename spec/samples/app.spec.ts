import { ReportController } from "../../samples/app/report.controller";
import { createApp } from "../../samples/app/app";
import { NotificationsService } from "../../samples/app/notifications.service";

describe("sample app", () => {
  it("runs calls, events and the injected controller", async () => {
    const broker = createApp({ logger: false });
    await broker.start();
    await expect(broker.call("greeter.hello", { name: "x" })).resolves.toBe("Hello, x!");
    await expect(broker.call("v2.math.double", { a: 1, b: 2 })).resolves.toBe(6);
    await broker.call("users.create", { name: "Ada", email: "ada@example.com" });
    const notifications = broker.container.resolve(NotificationsService);
    expect(notifications.sent).toEqual(["welcome mail to ada@example.com", "audit: user 1"]);
    await expect(broker.container.resolve(ReportController).summary()).resolves.toEqual({ users: 1, sum: 42 });
    await broker.stop();
  });
});
